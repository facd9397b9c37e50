import { describe, expect, it } from 'vitest';
import { escapeMarkdown } from '../../../cards/format.js';
import { GUIDANCE, renderResponseStepsCard } from '../../../cards/response-steps-card.js';
import { findAll, renderedTexts } from './card-fixtures.js';

const vm = {
  incidentId: 'inc-7f3a',
  account: 'bg1@contoso.onmicrosoft.com (object id 3f0c2b7e-6d1a-4c51-9f3e-2a8b7c6d5e4f)',
  resolvedBy: 'Ada Lovelace',
};

/** Every markdown link target in the card's texts plus every Action.OpenUrl url. */
function links(card: ReturnType<typeof renderResponseStepsCard>): string[] {
  const inText = renderedTexts(card).flatMap((t) => [...t.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1] ?? ''));
  const buttons = findAll(card, 'Action.OpenUrl').map((a) => String(a['url']));
  return [...inText, ...buttons];
}

describe('renderResponseStepsCard', () => {
  it('snapshot', () => {
    expect(renderResponseStepsCard(vm)).toMatchSnapshot();
  });

  it('lists the six steps in order, revoking sessions first', () => {
    const titles = renderedTexts(renderResponseStepsCard(vm)).filter((t) => t.startsWith('Step '));
    expect(titles).toEqual([
      'Step 1: Revoke its sessions and refresh tokens',
      'Step 2: Reset its password',
      'Step 3: Read what the account did',
      'Step 4: Check what changed since the sign-in',
      'Step 5: Check the monitoring chain is intact',
      'Step 6: Record what you find',
    ]);
    const texts = renderedTexts(renderResponseStepsCard(vm)).join('\n');
    expect(texts).toContain(`Entra admin center → Users → ${escapeMarkdown(vm.account)} → Revoke sessions`);
    expect(texts).toContain('POST /users/{id}/revokeSignInSessions');
    expect(texts).toContain('FIDO2');
    expect(texts).toContain('Conditional Access policies and their exclusions');
    expect(texts).toContain('action group');
    expect(texts).toContain('notes on this incident');
  });

  it('links only to the Microsoft pages it cites, all over https', () => {
    const found = links(renderResponseStepsCard(vm));
    expect(found.length).toBeGreaterThanOrEqual(6);
    const cited = new Set<string>(Object.values(GUIDANCE).map((g) => g.url));
    for (const url of found) {
      expect(cited.has(url)).toBe(true);
      const parsed = new URL(url);
      expect(parsed.protocol).toBe('https:');
      expect(['learn.microsoft.com', 'docs.microsoft.com']).toContain(parsed.hostname);
    }
    for (const guide of Object.values(GUIDANCE)) expect(found).toContain(guide.url);
  });

  it('escapes the account and the resolver, so neither can add a link', () => {
    const card = renderResponseStepsCard({ ...vm, account: '[bg1](http://evil.example)', resolvedBy: '[Eve](javascript:alert(1))' });
    expect(links(card).every((url) => url.startsWith('https://'))).toBe(true);
    expect(renderedTexts(card)).toContain('Someone used \\[bg1\\]\\(http://evil.example\\)');
  });

  it('carries no buttons that change the incident and stays small', () => {
    const kb = 'x'.repeat(1024);
    const card = renderResponseStepsCard({ incidentId: kb, account: kb, resolvedBy: kb });
    expect(findAll(card, 'Action.Execute')).toEqual([]);
    expect(card.version).toBe('1.5');
    expect(Buffer.byteLength(JSON.stringify(card), 'utf8')).toBeLessThan(28 * 1024);
  });
});
