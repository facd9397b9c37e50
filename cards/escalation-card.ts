import { adaptiveCard, type AdaptiveCard, type AdaptiveElement, type OpenUrlAction } from './adaptive-card.js';
import { describeDuration, formatUtc, parseUtcMillis, safeText, safeUrl } from './format.js';
import { buildMentions, countDistinctIds, type Mention, type Person } from './mentions.js';

export interface EscalationCardModel {
  incidentId: string;
  headline: string;
  /** The escalation level being notified (1 = first). */
  level: number;
  /** Repeats of this level already sent before this one (0 = first time at this level). */
  repeat: number;
  /** Why it escalated, e.g. "No responder acknowledged within 15 minutes." */
  reason: string;
  mentions: Person[];
  /** Link to the incident's card message; https only, anything else is dropped. */
  cardLink?: string;
}

export interface ReminderCardModel {
  incidentId: string;
  headline: string;
  acknowledgedBy: Person;
  /** ISO UTC time the incident was acknowledged (or any text, shown as is: "60 minutes ago"). */
  since: string;
  /** ISO UTC "now": with it, `since` reads as "60 minutes ago"; without it, as a time. */
  now?: string;
}

/** Enough to reach a whole on-call rota; more would only make the message heavy. */
export const MAX_MENTIONS = 30;
const MAX_TEXT = 300;

/**
 * Posted in the incident's thread (and in an escalation channel) when nobody has acknowledged
 * in time: it @mentions responders so Teams notifies them, which an edited card never does.
 */
export function renderEscalationCard(vm: EscalationCardModel): AdaptiveCard {
  const mentions = buildMentions(vm.mentions, MAX_MENTIONS);
  const level = Math.max(1, Math.trunc(vm.level));
  const repeat = Math.max(0, Math.trunc(vm.repeat));
  const body: AdaptiveElement[] = [
    {
      type: 'Container',
      style: 'attention',
      bleed: true,
      items: [
        {
          type: 'TextBlock',
          text: repeat > 0 ? `ESCALATION · LEVEL ${level} · REPEAT ${repeat}` : `ESCALATION · LEVEL ${level}`,
          size: 'small',
          weight: 'bolder',
          color: 'attention',
        },
        { type: 'TextBlock', text: safeText(vm.headline, 200), size: 'medium', weight: 'bolder', wrap: true, spacing: 'small' },
        { type: 'TextBlock', text: safeText(vm.reason, MAX_TEXT), wrap: true, spacing: 'small' },
      ],
    },
    mentions.length > 0
      ? { type: 'TextBlock', text: `${joinMentions(mentions)}: this incident still needs a responder. Open its card and acknowledge it.`, wrap: true, spacing: 'medium' }
      : {
          type: 'TextBlock',
          text: 'No responder to mention: add responders (GLASSWATCH\\_RESPONDERS or the config file) so escalations reach people.',
          wrap: true,
          color: 'warning',
          spacing: 'medium',
        },
  ];
  const left = countDistinctIds(vm.mentions) - mentions.length;
  if (left > 0) body.push({ type: 'TextBlock', text: `${left} more responders not mentioned here.`, isSubtle: true, wrap: true, spacing: 'small' });
  body.push(incidentLine(vm.incidentId));

  const link = safeUrl(vm.cardLink);
  const actions: OpenUrlAction[] = link ? [{ type: 'Action.OpenUrl', title: 'Open the incident card', url: link }] : [];
  return withMentions(adaptiveCard(body, actions), mentions);
}

/**
 * Posted in the incident's thread while an acknowledged incident stays unresolved: it mentions
 * the person who acknowledged it, who otherwise gets no notification at all.
 */
export function renderReminderCard(vm: ReminderCardModel): AdaptiveCard {
  const mentions = buildMentions([vm.acknowledgedBy], 1);
  const who = mentions[0]?.text ?? safeText(vm.acknowledgedBy.name, 100);
  const body: AdaptiveElement[] = [
    {
      type: 'Container',
      style: 'warning',
      bleed: true,
      items: [
        { type: 'TextBlock', text: 'REMINDER', size: 'small', weight: 'bolder' },
        { type: 'TextBlock', text: safeText(vm.headline, 200), size: 'medium', weight: 'bolder', wrap: true, spacing: 'small' },
      ],
    },
    { type: 'TextBlock', text: `Still open: acknowledged by ${who} ${since(vm)} and not resolved.`, wrap: true, spacing: 'medium' },
    {
      type: 'TextBlock',
      text: 'Resolve it from its card once you know why the account signed in, or unacknowledge it so the escalation policy takes over again.',
      wrap: true,
      isSubtle: true,
      spacing: 'small',
    },
    incidentLine(vm.incidentId),
  ];
  return withMentions(adaptiveCard(body), mentions);
}

function since(vm: ReminderCardModel): string {
  const at = parseUtcMillis(vm.since);
  if (at === undefined) return safeText(vm.since, 60);
  const now = vm.now === undefined ? undefined : parseUtcMillis(vm.now);
  return now === undefined ? `at ${formatUtc(vm.since)}` : `${describeDuration(now - at)} ago`;
}

function joinMentions(mentions: Mention[]): string {
  const texts = mentions.map((m) => m.text);
  if (texts.length <= 2) return texts.join(' and ');
  return `${texts.slice(0, -1).join(', ')} and ${texts[texts.length - 1] ?? ''}`;
}

function incidentLine(incidentId: string): AdaptiveElement {
  return { type: 'TextBlock', text: `Incident ${safeText(incidentId, 128)}`, size: 'small', isSubtle: true, wrap: true, spacing: 'small' };
}

function withMentions(card: AdaptiveCard, mentions: Mention[]): AdaptiveCard {
  if (mentions.length === 0) return card;
  return { ...card, msteams: { width: 'Full', entities: mentions.map((m) => m.entity) } };
}
