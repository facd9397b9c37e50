import { describe, expect, it } from 'vitest';
import { renderHelpCard } from '../../../cards/help-card.js';
import { findAll, renderedTexts } from './card-fixtures.js';

const commands = [
  { usage: 'status', description: 'Posture of every break-glass account.' },
  { usage: 'signins [upn] [days]', description: 'The last sign-ins, newest first.' },
  { usage: 'drill schedule <date | every N days>', description: 'Plan the 90-day validation drill.' },
];

describe('renderHelpCard', () => {
  it('snapshot', () => {
    expect(renderHelpCard({ commands })).toMatchSnapshot();
  });

  it('snapshot in local mode with a note', () => {
    expect(renderHelpCard({ commands, note: 'I did not understand "hepl".', demo: true })).toMatchSnapshot();
  });

  it('is a 1.5 card listing every command', () => {
    const card = renderHelpCard({ commands });
    expect(card.version).toBe('1.5');
    expect(findAll(card, 'Action.Execute')).toEqual([]);
    expect(renderedTexts(card)).toContain('signins \\[upn\\] \\[days\\]');
  });

  it('escapes a note that quotes what the user typed', () => {
    const texts = renderedTexts(renderHelpCard({ commands: [], note: 'Unknown command "[x](http://evil)"' }));
    expect(texts).toContain('Unknown command "\\[x\\]\\(http://evil\\)"');
  });
});
