import { describe, expect, it } from 'vitest';
import { renderNoticeCard } from '../../../cards/text-card.js';
import { findAll, renderedTexts } from './card-fixtures.js';

describe('renderNoticeCard', () => {
  it('snapshot: default tone', () => {
    expect(renderNoticeCard({ title: 'Alert channel', lines: ['This channel is now the alert channel.'] })).toMatchSnapshot();
  });

  it.each(['good', 'warning', 'attention'] as const)('snapshot: %s tone', (tone) => {
    expect(renderNoticeCard({ title: `Tone ${tone}`, lines: ['One line.', 'Two lines.'], tone })).toMatchSnapshot();
  });

  it('colours the title container by tone', () => {
    const card = renderNoticeCard({ title: 'Not allowed', lines: [], tone: 'attention' });
    expect(card.version).toBe('1.5');
    expect(findAll(card, 'Container')[0]).toMatchObject({ style: 'attention' });
  });

  it('escapes lines and caps how many it shows', () => {
    const lines = ['Bound by [Eve](http://evil)', ...Array.from({ length: 40 }, (_, i) => `line ${i}`)];
    const texts = renderedTexts(renderNoticeCard({ title: 'Bound', lines }));
    expect(texts).toContain('Bound by \\[Eve\\]\\(http://evil\\)');
    expect(texts).toContain('11 more lines not shown.');
    expect(texts).toHaveLength(1 + 30 + 1);
  });
});
