import type { ParsedAlert } from '../intake/alert.js';

/** The one-line title of an incident, from what the first alert says. */
export function headlineFor(alert: ParsedAlert): string {
  const subject = alert.subject;
  const failed = alert.signIns.length > 0 && alert.signIns.every((s) => s.resultType !== undefined && s.resultType !== '0');
  switch (subject.kind) {
    case 'user':
      return `${failed ? 'Failed break-glass sign-in' : 'Break-glass sign-in'}: ${subject.upn ?? subject.objectId ?? subject.key}`;
    case 'service-principal':
      return `${failed ? 'Failed break-glass app sign-in' : 'Break-glass app sign-in'}: ${subject.displayName ?? subject.appId}`;
    case 'monitoring':
      // Glasswatch's own findings (a drill that produced no alert) name the problem in the rule.
      if (alert.monitoringService === 'Glasswatch') return alert.alertRule;
      return alert.source === 'activity-log'
        ? `Monitoring change: ${alert.signIns[0]?.operationName ?? alert.alertRule}`
        : `Alert with no account named: ${subject.ruleName}`;
    default: {
      const unreachable: never = subject;
      return unreachable;
    }
  }
}
