import { z } from 'zod';
import { CHECKLIST_ITEM_IDS } from '../bot/drills/checklist.js';
import type { ChecklistItemId } from '../bot/drills/drill.js';
import type { ActionStyle, ExecuteAction } from './adaptive-card.js';

/**
 * The one place button data is written and read back. Cards build every Action.Execute through
 * `executeAction`, and the invoke handler turns what comes back into a typed value with
 * `parseActionData`, so the two ends cannot drift apart.
 */

export const INCIDENT_VERBS = [
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
export type IncidentVerb = (typeof INCIDENT_VERBS)[number];

/** Drill cards' buttons: their data names a drill (`drillId`), never an incident. */
export const DRILL_VERBS = [
  // A checklist item done, by the clicker, now.
  'drill.tick',
  // A checklist item waived, with the reason typed into the card.
  'drill.waive',
  // The drill report's "Password rotated" (the drill's sign-in used the password).
  'drill.confirm-rotation',
] as const;
export type DrillVerb = (typeof DRILL_VERBS)[number];

export const CARD_VERBS = [...INCIDENT_VERBS, ...DRILL_VERBS] as const;
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
export const REASON_INPUT_ID = 'reason';

export const MAX_NOTE_LENGTH = 1000;
export const MAX_REASON_LENGTH = 1000;
const MAX_INCIDENT_ID_LENGTH = 128;
const MAX_DRILL_ID_LENGTH = 128;

export interface ActionTarget {
  incidentId: string;
  version: number;
  resolution?: Resolution;
}

export interface DrillActionTarget {
  drillId: string;
  version: number;
  item?: ChecklistItemId;
}

export function executeAction(title: string, verb: IncidentVerb, data: ActionTarget, style?: ActionStyle): ExecuteAction;
export function executeAction(title: string, verb: DrillVerb, data: DrillActionTarget, style?: ActionStyle): ExecuteAction;
export function executeAction(title: string, verb: CardVerb, data: ActionTarget | DrillActionTarget, style?: ActionStyle): ExecuteAction {
  return {
    type: 'Action.Execute',
    title,
    verb,
    // Only the keys that are set: an explicit `undefined` would vanish in JSON anyway and
    // would make snapshots disagree with what Teams sends back.
    data:
      'drillId' in data
        ? { drillId: data.drillId, version: data.version, ...(data.item !== undefined ? { item: data.item } : {}) }
        : {
            incidentId: data.incidentId,
            version: data.version,
            ...(data.resolution !== undefined ? { resolution: data.resolution } : {}),
          },
    ...(style !== undefined ? { style } : {}),
  };
}

/** What an invoke means once checked. `version` is the incident (or drill) version the card showed. */
export type CardAction = IncidentCardAction | DrillCardAction;

export type IncidentCardAction =
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

export type DrillCardAction =
  | { verb: 'drill.tick'; drillId: string; version: number; item: ChecklistItemId }
  | { verb: 'drill.waive'; drillId: string; version: number; item: ChecklistItemId; reason: string }
  | { verb: 'drill.confirm-rotation'; drillId: string; version: number };

/** Drill buttons go to the drill routes; everything else is about an incident. */
export function isDrillAction(action: CardAction): action is DrillCardAction {
  return action.verb.startsWith('drill.');
}

export type ParsedCardAction = { ok: true; action: CardAction } | { ok: false; message: string };

const version = z
  .number({ required_error: 'missing version', invalid_type_error: 'version must be a number' })
  .int('version must be a whole number')
  .nonnegative('version must not be negative');

const target = z.object({
  incidentId: z
    .string({ required_error: 'missing incidentId', invalid_type_error: 'incidentId must be text' })
    .trim()
    .min(1, 'missing incidentId')
    .max(MAX_INCIDENT_ID_LENGTH, 'incidentId is too long'),
  version,
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

const drillTarget = z.object({
  drillId: z
    .string({ required_error: 'missing drillId', invalid_type_error: 'drillId must be text' })
    .trim()
    .min(1, 'missing drillId')
    .max(MAX_DRILL_ID_LENGTH, 'drillId is too long'),
  version,
});

const tickData = drillTarget.extend({
  item: z.enum(CHECKLIST_ITEM_IDS, {
    errorMap: () => ({ message: `unknown checklist item (one of ${CHECKLIST_ITEM_IDS.join(', ')})` }),
  }),
});

const waiveData = tickData.extend({
  reason: z
    .string({ required_error: 'write why this item is waived', invalid_type_error: 'reason must be text' })
    .trim()
    .min(1, 'write why this item is waived')
    .max(MAX_REASON_LENGTH, `reason is longer than ${MAX_REASON_LENGTH} characters`),
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
    return { ok: false, message: `This button's data is not valid: it carries no ${verb.startsWith('drill.') ? 'drill' : 'incident'}.` };
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
    case 'drill.tick': {
      const parsed = tickData.safeParse(data);
      return parsed.success ? { ok: true, action: { verb, ...parsed.data } } : refuse(parsed.error);
    }
    case 'drill.waive': {
      const parsed = waiveData.safeParse(data);
      return parsed.success ? { ok: true, action: { verb, ...parsed.data } } : refuse(parsed.error);
    }
    case 'drill.confirm-rotation': {
      const parsed = drillTarget.safeParse(data);
      return parsed.success ? { ok: true, action: { verb, ...parsed.data } } : refuse(parsed.error);
    }
    default: {
      const unreachable: never = verb;
      return unreachable;
    }
  }
}
