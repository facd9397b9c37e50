import { describe, expect, it } from 'vitest';
import type { AdaptiveCard } from '../../../cards/adaptive-card.js';
import { MAX_MENTIONS, renderEscalationCard, renderReminderCard, type EscalationCardModel } from '../../../cards/escalation-card.js';
import { buildMentions, mentionName } from '../../../cards/mentions.js';
import { findAll, renderedTexts } from './card-fixtures.js';

const ada = { id: '3f0c2b7e-6d1a-4c51-9f3e-2a8b7c6d5e4f', name: 'Ada Lovelace' };
const grace = { id: '9b1d7c2a-0e4f-4a6b-8c3d-5e7f9a1b2c3d', name: 'Grace Hopper' };

const escalation = (overrides: Partial<EscalationCardModel> = {}): EscalationCardModel => ({
  incidentId: 'inc-7f3a',
  headline: 'Break-glass sign-in: bg1@contoso.onmicrosoft.com',
  level: 2,
  repeat: 0,
  reason: 'No responder acknowledged within 15 minutes.',
  mentions: [ada, grace],
  cardLink: 'https://teams.microsoft.com/l/message/19:abc@thread.tacv2/1732284190000',
  ...overrides,
});

/** Every `<at>…</at>` in the card's texts, in order. */
const atTexts = (card: AdaptiveCard): string[] => renderedTexts(card).flatMap((t) => t.match(/<at>.*?<\/at>/g) ?? []);
const entities = (card: AdaptiveCard) => card.msteams?.entities ?? [];

describe('renderEscalationCard', () => {
  it('snapshot', () => {
    expect(renderEscalationCard(escalation())).toMatchSnapshot();
  });

  it('snapshot: a repeat with nobody to mention', () => {
    expect(renderEscalationCard(escalation({ repeat: 2, mentions: [], cardLink: undefined }))).toMatchSnapshot();
  });

  it('mentions each responder with an entity whose text matches the card text exactly', () => {
    const card = renderEscalationCard(escalation());
    expect(card.version).toBe('1.5');
    expect(card.msteams?.width).toBe('Full');
    expect(entities(card)).toEqual([
      { type: 'mention', text: '<at>Ada Lovelace</at>', mentioned: { id: ada.id, name: 'Ada Lovelace' } },
      { type: 'mention', text: '<at>Grace Hopper</at>', mentioned: { id: grace.id, name: 'Grace Hopper' } },
    ]);
    expect(atTexts(card)).toEqual(entities(card).map((e) => e.text));
    expect(renderedTexts(card)).toContain('<at>Ada Lovelace</at> and <at>Grace Hopper</at>: this incident still needs a responder. Open its card and acknowledge it.');
  });

  it('keeps hostile names from breaking the tag or the markdown, and text and entity still agree', () => {
    const card = renderEscalationCard(
      escalation({
        mentions: [
          { id: 'aad-1', name: 'Eve</at><at>Mallory' },
          { id: 'aad-2', name: '[click](http://evil) **boss**' },
          { id: 'aad-3', name: '   ' },
          { id: 'aad-4', name: 'Ada Lovelace' },
          { id: 'aad-5', name: 'Ada Lovelace' },
        ],
      }),
    );
    expect(entities(card).map((e) => e.text)).toEqual([
      '<at>Eve /at at Mallory</at>',
      '<at>click http://evil boss</at>',
      '<at>responder</at>',
      '<at>Ada Lovelace</at>',
      '<at>Ada Lovelace (2)</at>',
    ]);
    expect(atTexts(card)).toEqual(entities(card).map((e) => e.text));
    for (const entity of entities(card)) expect(entity.text).toBe(`<at>${entity.mentioned.name}</at>`);
  });

  it('mentions each id once, skips empty ids, and says how many it left out past the cap', () => {
    const card = renderEscalationCard(escalation({ mentions: [ada, { ...ada, id: ada.id.toUpperCase(), name: 'Ada again' }, { id: ' ', name: 'Nobody' }, grace] }));
    expect(entities(card).map((e) => e.mentioned.id)).toEqual([ada.id, grace.id]);

    const many = Array.from({ length: MAX_MENTIONS + 5 }, (_, i) => ({ id: `aad-${i}`, name: `Responder ${i}` }));
    const capped = renderEscalationCard(escalation({ mentions: many }));
    expect(entities(capped)).toHaveLength(MAX_MENTIONS);
    expect(atTexts(capped)).toEqual(entities(capped).map((e) => e.text));
    expect(renderedTexts(capped)).toContain('5 more responders not mentioned here.');
  });

  it('says so when there is nobody to mention, and carries no entities', () => {
    const card = renderEscalationCard(escalation({ mentions: [] }));
    expect(card.msteams).toEqual({ width: 'Full' });
    expect(renderedTexts(card).some((t) => t.startsWith('No responder to mention'))).toBe(true);
  });

  it('names the level and repeat, escapes outside text, and cannot be made to mention anyone else', () => {
    const card = renderEscalationCard(escalation({ level: 3, repeat: 1, headline: 'Sign-in <at>Ada Lovelace</at> [x](http://evil)', reason: '**now**' }));
    const texts = renderedTexts(card);
    expect(texts).toContain('ESCALATION · LEVEL 3 · REPEAT 1');
    expect(texts).toContain('Sign-in \\<at\\>Ada Lovelace\\</at\\> \\[x\\]\\(http://evil\\)');
    expect(texts).toContain('\\*\\*now\\*\\*');
    expect(atTexts(card)).toEqual(['<at>Ada Lovelace</at>', '<at>Grace Hopper</at>']);
  });

  it('links the incident card over https only', () => {
    expect(findAll(renderEscalationCard(escalation()), 'Action.OpenUrl')).toEqual([
      { type: 'Action.OpenUrl', title: 'Open the incident card', url: 'https://teams.microsoft.com/l/message/19:abc@thread.tacv2/1732284190000' },
    ]);
    for (const cardLink of ['javascript:alert(1)', 'http://teams.example', undefined]) {
      expect(findAll(renderEscalationCard(escalation({ cardLink })), 'Action.OpenUrl')).toEqual([]);
    }
  });

  it('stays under 28 KB with the most mentions and 1 KB values', () => {
    const kb = 'x'.repeat(1024);
    const many = Array.from({ length: 200 }, (_, i) => ({ id: `${i}-${kb.slice(0, 36)}`, name: kb }));
    const card = renderEscalationCard(escalation({ headline: kb, reason: kb, incidentId: kb, mentions: many, cardLink: `https://x.example/${kb}` }));
    expect(Buffer.byteLength(JSON.stringify(card), 'utf8')).toBeLessThan(28 * 1024);
  });
});

describe('renderReminderCard', () => {
  const reminder = { incidentId: 'inc-7f3a', headline: 'Break-glass sign-in: bg1@contoso.onmicrosoft.com', acknowledgedBy: ada };

  it('snapshot', () => {
    expect(renderReminderCard({ ...reminder, since: '2026-11-22T14:05:00Z', now: '2026-11-22T15:05:30Z' })).toMatchSnapshot();
  });

  it('mentions the acknowledger and says how long ago', () => {
    const card = renderReminderCard({ ...reminder, since: '2026-11-22T14:05:00Z', now: '2026-11-22T15:05:30Z' });
    expect(renderedTexts(card)).toContain('Still open: acknowledged by <at>Ada Lovelace</at> 60 minutes ago and not resolved.');
    expect(entities(card)).toEqual([{ type: 'mention', text: '<at>Ada Lovelace</at>', mentioned: { id: ada.id, name: 'Ada Lovelace' } }]);
    expect(atTexts(card)).toEqual(entities(card).map((e) => e.text));
  });

  it('falls back to the time without "now", and to the words given when `since` is not a time', () => {
    expect(renderedTexts(renderReminderCard({ ...reminder, since: '2026-11-22T14:05:00Z' }))).toContain(
      'Still open: acknowledged by <at>Ada Lovelace</at> at 2026-11-22 14:05 UTC and not resolved.',
    );
    expect(renderedTexts(renderReminderCard({ ...reminder, since: '60 minutes ago' }))).toContain(
      'Still open: acknowledged by <at>Ada Lovelace</at> 60 minutes ago and not resolved.',
    );
  });

  it('names without mentioning when the acknowledger has no id', () => {
    const card = renderReminderCard({ ...reminder, acknowledgedBy: { id: '', name: 'Ada_Lovelace' }, since: '60 minutes ago' });
    expect(card.msteams).toEqual({ width: 'Full' });
    expect(renderedTexts(card)).toContain('Still open: acknowledged by Ada\\_Lovelace 60 minutes ago and not resolved.');
  });
});

describe('mentions', () => {
  it('cleans a display name to something safe between <at> tags, never empty', () => {
    expect(mentionName('Ada Lovelace')).toBe('Ada Lovelace');
    expect(mentionName('O\u2019Brien-Smith, Jo')).toBe('O\u2019Brien-Smith, Jo');
    expect(mentionName('a\nb\u202Ec')).toBe('a b c');
    expect(mentionName('<>')).toBe('responder');
    expect(mentionName('x'.repeat(100))).toHaveLength(64);
  });

  it('builds the text and the entity from the same name', () => {
    expect(buildMentions([{ id: 'u1', name: 'Ada' }], 5)).toEqual([
      { text: '<at>Ada</at>', entity: { type: 'mention', text: '<at>Ada</at>', mentioned: { id: 'u1', name: 'Ada' } } },
    ]);
  });
});
