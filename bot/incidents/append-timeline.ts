import { TIMELINE_KEPT, type TimelineEntry } from './incident.js';

/** Adds an entry (newest last), keeping the most recent TIMELINE_KEPT. Never mutates its input. */
export function appendTimeline(timeline: readonly TimelineEntry[], entry: TimelineEntry): TimelineEntry[] {
  return [...timeline, entry].slice(-TIMELINE_KEPT);
}
