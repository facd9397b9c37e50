import type { Container } from './adaptive-card.js';

export const DEMO_BADGE = 'DEMO DATA — not your tenant';

/** The banner every card built from the bundled demo tenant carries, so nobody mistakes it for theirs. */
export function demoBadge(detail: string): Container {
  return {
    type: 'Container',
    style: 'attention',
    bleed: true,
    spacing: 'medium',
    items: [
      { type: 'TextBlock', text: DEMO_BADGE, size: 'medium', weight: 'bolder', wrap: true },
      { type: 'TextBlock', text: detail, wrap: true, spacing: 'none' },
    ],
  };
}
