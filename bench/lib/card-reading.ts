import { isRecord } from '../../test/fakes/fake-connector.js';

/** The occurrence count an incident card shows (the "Occurrences" fact: "10000 (first …, last …)"). */
export function occurrencesOnCard(activity: Record<string, unknown> | undefined): number | undefined {
  const attachments = activity?.attachments;
  if (!Array.isArray(attachments)) return undefined;
  for (const attachment of attachments) {
    const found = isRecord(attachment) ? findFact(attachment.content, 'Occurrences', 0) : undefined;
    if (found !== undefined) return Number(/^\d+/.exec(found)?.[0] ?? Number.NaN);
  }
  return undefined;
}

const MAX_DEPTH = 32;

function findFact(node: unknown, title: string, depth: number): string | undefined {
  if (depth > MAX_DEPTH) return undefined;
  if (Array.isArray(node)) {
    for (const item of node) {
      const found = findFact(item, title, depth + 1);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (!isRecord(node)) return undefined;
  if (node.title === title && typeof node.value === 'string') return node.value;
  for (const value of Object.values(node)) {
    const found = findFact(value, title, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}
