import { z } from 'zod';
import type { ActionStyle, ExecuteAction } from './adaptive-card.js';

/**
 * The one place button data is written and read back. Cards build every Action.Execute through
 * `executeAction`, and the invoke handler turns what comes back into a typed value with
 * `parseActionData`, so the two ends cannot drift apart.
 */

export const CARD_VERBS = [
  'incident.acknowledge',
  'incident.unacknowledge',
  'incident.escalate',
  'incident.resolve',
  'incident.note',
  // A responder confirms the break-glass password was rotated after the use (resolved incidents).
  'incident.confirm-rotation',
  // Universal Actions' `refresh` needs a verb of its own: it re-renders, it changes nothing.
  'incident.refresh',
] as const;
export type CardVerb = (typeof CARD_VERBS)[number];

export const RESOLUTIONS = ['drill', 'authorized-emergency', 'unauthorized', 'false-positive'] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

/** How each resolution reads on the card's picker and in answers. */
export const RESOLUTION_LABELS: Readonly<Record<Resolution, string>> = {
  drill: 'Drill (planned validation)',
  'authorized-emergency': 'Authorized emergency use',
  unauthorized: 'Unauthorized: start incident response',
  'false-positive': 'False positive',
};

/** The card's input ids; Action.Execute merges inputs into `data` under these names. */
export const RESOLUTION_INPUT_ID = 'resolution';
export const NOTE_INPUT_ID = 'note';

export const MAX_NOTE_LENGTH = 1000;
const MAX_INCIDENT_ID_LENGTH = 128;

export interface ActionTarget {
  incidentId: string;
  version: number;
  resolution?: Resolution;
}

export function executeAction(title: string, verb: CardVerb, data: ActionTarget, style?: ActionStyle): ExecuteAction {
  return {
    type: 'Action.Execute',
    title,
    verb,
    // Only the keys that are set: an explicit `undefined` would vanish in JSON anyway and
    // would make snapshots disagree with what Teams sends back.
    data: {
      incidentId: data.incidentId,
      version: data.version,
      ...(data.resolution !== undefined ? { resolution: data.resolution } : {}),
    },
    ...(style !== undefined ? { style } : {}),
  };
}

/** What an invoke means once checked. `version` is the incident version the card showed. */
export type CardAction =
  | {
      verb:
        | 'incident.acknowledge'
        | 'incident.unacknowledge'
        | 'incident.escalate'
        | 'incident.confirm-rotation'
        | 'incident.refresh';
      incidentId: string;
      version: number;
    }
  | { verb: 'incident.resolve'; incidentId: string; version: number; resolution: Resolution; note?: string }
  | { verb: 'incident.note'; incidentId: string; version: number; note: string };

export type ParsedCardAction = { ok: true; action: CardAction } | { ok: false; message: string };

const target = z.object({
  incidentId: z
    .string({ required_error: 'missing incidentId', invalid_type_error: 'incidentId must be text' })
    .trim()
    .min(1, 'missing incidentId')
    .max(MAX_INCIDENT_ID_LENGTH, 'incidentId is too long'),
  version: z
    .number({ required_error: 'missing version', invalid_type_error: 'version must be a number' })
    .int('version must be a whole number')
    .nonnegative('version must not be negative'),
});

// An untouched optional Input.Text arrives as "" (or not at all): both mean "no note".
const optionalNote = z
  .string({ invalid_type_error: 'note must be text' })
  .trim()
  .max(MAX_NOTE_LENGTH, `note is longer than ${MAX_NOTE_LENGTH} characters`)
  .optional()
  .transform((note) => (note === undefined || note === '' ? undefined : note));

const resolveData = target.extend({
  resolution: z.enum(RESOLUTIONS, {
    errorMap: () => ({ message: `choose a resolution (${RESOLUTIONS.join(', ')})` }),
  }),
  note: optionalNote,
});

const noteData = target.extend({
  note: z
    .string({ required_error: 'write a note first', invalid_type_error: 'note must be text' })
    .trim()
    .min(1, 'write a note first')
    .max(MAX_NOTE_LENGTH, `note is longer than ${MAX_NOTE_LENGTH} characters`),
});

function isCardVerb(verb: string): verb is CardVerb {
  return (CARD_VERBS as readonly string[]).includes(verb);
}

function refuse(error: z.ZodError): { ok: false; message: string } {
  const first = error.issues[0];
  return { ok: false, message: `This button's data is not valid: ${first?.message ?? 'unreadable data'}.` };
}

/** Checks an Action.Execute invoke's verb and data; a refusal's message is for the person who clicked. */
export function parseActionData(verb: string, data: unknown): ParsedCardAction {
  if (!isCardVerb(verb)) {
    return { ok: false, message: `This button is not one Glasswatch knows (verb "${verb.slice(0, 40)}").` };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { ok: false, message: "This button's data is not valid: it carries no incident." };
  }
  switch (verb) {
    case 'incident.acknowledge':
    case 'incident.unacknowledge':
    case 'incident.escalate':
    case 'incident.confirm-rotation':
    case 'incident.refresh': {
      const parsed = target.safeParse(data);
      return parsed.success ? { ok: true, action: { verb, ...parsed.data } } : refuse(parsed.error);
    }
    case 'incident.resolve': {
      const parsed = resolveData.safeParse(data);
      if (!parsed.success) return refuse(parsed.error);
      const { note, ...rest } = parsed.data;
      return { ok: true, action: { verb, ...rest, ...(note !== undefined ? { note } : {}) } };
    }
    case 'incident.note': {
      const parsed = noteData.safeParse(data);
      return parsed.success ? { ok: true, action: { verb, ...parsed.data } } : refuse(parsed.error);
    }
    default: {
      const unreachable: never = verb;
      return unreachable;
    }
  }
}
