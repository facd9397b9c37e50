import { adaptiveCard, type AdaptiveCard, type AdaptiveElement } from './adaptive-card.js';
import { safeText } from './format.js';

export type NoticeTone = 'default' | 'good' | 'warning' | 'attention';

export interface NoticeCardModel {
  title: string;
  lines: string[];
  tone?: NoticeTone;
}

const MAX_LINES = 30;
const MAX_LINE = 500;

/**
 * A short answer ("This channel is now the alert channel."). Lines are plain text: they often
 * quote names and ids from outside, so they are escaped rather than trusted as markdown.
 */
export function renderNoticeCard(vm: NoticeCardModel): AdaptiveCard {
  const tone = vm.tone ?? 'default';
  const lines: AdaptiveElement[] = vm.lines
    .slice(0, MAX_LINES)
    .map((line) => ({ type: 'TextBlock', text: safeText(line, MAX_LINE), wrap: true, spacing: 'small' }));
  if (vm.lines.length > MAX_LINES) {
    lines.push({ type: 'TextBlock', text: `${vm.lines.length - MAX_LINES} more lines not shown.`, isSubtle: true, wrap: true });
  }
  return adaptiveCard([
    {
      type: 'Container',
      style: tone,
      bleed: tone !== 'default',
      items: [{ type: 'TextBlock', text: safeText(vm.title, 200), weight: 'bolder', size: 'medium', wrap: true }],
    },
    ...lines,
  ]);
}
