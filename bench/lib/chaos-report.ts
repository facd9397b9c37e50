import { unexplainedDuplicates, type CardAudit } from './chaos-checks.js';

export interface PhaseReport {
  name: string;
  sent: number;
  answered: number;
  /** Answered 202 (in any phase so far) but not in the store. */
  lost: number;
  gaveUp: number;
  statuses: string;
  /** 503 answers (each retried by the sender). */
  unavailable: number;
  /** Of those, how many carried Retry-After. */
  unavailableWithRetryAfter: number;
  serverErrors: number;
  cards: CardAudit;
  duplicatesChecked: number;
  duplicatesWrong: string[];
  crashes: number;
  outboxEmpty: boolean;
  notes: string[];
}

/** A phase passes when nothing was lost, no 500 was answered, and every incident has exactly one card. */
export function phasePassed(report: PhaseReport): boolean {
  return (
    report.lost === 0 &&
    report.gaveUp === 0 &&
    report.serverErrors === 0 &&
    report.cards.withoutCard.length === 0 &&
    unexplainedDuplicates(report.cards) === 0 &&
    report.duplicatesWrong.length === 0 &&
    report.crashes === 0 &&
    report.outboxEmpty
  );
}

/** The lines a phase prints. */
export function describePhase(report: PhaseReport): string[] {
  const dup = report.cards.duplicated;
  const explained = dup.filter((d) => d.explainedBy !== undefined);
  return [
    `${report.name}: answered 202 ${report.answered}/${report.sent}, gave up ${report.gaveUp}; answers ${report.statuses} (503 with Retry-After: ${report.unavailableWithRetryAfter})`,
    `  lost (202 but not in store, whole run) ${report.lost}; 5xx other than 503: ${report.serverErrors}; bot crashes ${report.crashes}; outbox emptied: ${report.outboxEmpty}`,
    `  incidents (whole run) ${report.cards.incidents}: without a card ${report.cards.withoutCard.length}; with 2+ cards ${dup.length}, of which in the crash window (Teams said 201, the commit never happened) ${explained.length}${windows(explained)}, unexplained ${dup.length - explained.length}`,
    `  duplicates re-posted ${report.duplicatesChecked}: not recognised ${report.duplicatesWrong.length}${report.duplicatesWrong.length > 0 ? ` (${report.duplicatesWrong.slice(0, 2).join('; ')})` : ''}`,
    ...report.notes.map((note) => `  ${note}`),
  ];
}

function windows(explained: CardAudit['duplicated']): string {
  if (explained.length === 0) return '';
  return ` [${explained.map((d) => `${d.explainedBy} ${d.acceptedBeforeFaultMs.map((ms) => ms.toFixed(0)).join('/')} ms after the 201`).join(', ')}]`;
}
