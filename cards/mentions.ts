import type { MentionEntity } from './adaptive-card.js';
import { truncate } from './format.js';

/**
 * Teams mentions in Adaptive Cards: the text holds `<at>Name</at>` and `msteams.entities` holds
 * a mention entity whose `text` is that exact string. The two are built here together, from one
 * cleaned name, so they cannot disagree.
 */

export interface Person {
  /** Teams user id, Entra object id or UPN: Teams accepts each in a bot's card mention. */
  id: string;
  name: string;
}

export interface Mention {
  /** `<at>Name</at>`, to put in a TextBlock as is. */
  text: string;
  entity: MentionEntity;
}

const MAX_NAME = 64;
// Characters that would break the <at> tag or be read as markdown around it, plus control and
// bidi characters: a display name is text from the directory, not markup.
const UNSAFE_IN_NAME = /[<>\\`*_~[\]()#\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]+/g;

/** A display name safe to place between <at> and </at>; never empty. */
export function mentionName(name: string): string {
  const cleaned = truncate(name.replace(UNSAFE_IN_NAME, ' ').replace(/\s+/g, ' ').trim(), MAX_NAME);
  return cleaned === '' ? 'responder' : cleaned;
}

/**
 * One mention per distinct id (case-insensitive), in the order given, people without an id
 * dropped. Two different people with the same display name get "(2)" so each `<at>` text points
 * at exactly one entity.
 */
export function buildMentions(people: readonly Person[], max: number): Mention[] {
  const seenIds = new Set<string>();
  const usedTexts = new Set<string>();
  const mentions: Mention[] = [];
  for (const person of people) {
    const id = person.id.trim();
    if (id === '' || seenIds.has(id.toLowerCase())) continue;
    if (mentions.length >= max) break;
    seenIds.add(id.toLowerCase());
    const base = mentionName(person.name);
    let name = base;
    for (let n = 2; usedTexts.has(name.toLowerCase()); n += 1) name = `${base} (${n})`;
    usedTexts.add(name.toLowerCase());
    const text = `<at>${name}</at>`;
    mentions.push({ text, entity: { type: 'mention', text, mentioned: { id, name } } });
  }
  return mentions;
}

/** How many distinct, non-empty ids a list of people holds (to say how many were left out). */
export function countDistinctIds(people: readonly Person[]): number {
  return new Set(people.map((p) => p.id.trim().toLowerCase()).filter((id) => id !== '')).size;
}
