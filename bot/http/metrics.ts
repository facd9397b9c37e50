/**
 * In-process counters rendered in the Prometheus text format. Gauges that live in the store
 * (incident states, pending deliveries) are read at scrape time by the /metrics route.
 */
export type CounterName =
  | 'glasswatch_alerts_received_total'
  | 'glasswatch_alerts_rejected_total'
  | 'glasswatch_deliveries_total'
  | 'glasswatch_teams_throttled_total'
  | 'glasswatch_notifications_total'
  | 'glasswatch_escalations_total'
  | 'glasswatch_actions_total';

const HELP: Record<CounterName, string> = {
  glasswatch_alerts_received_total: 'Alerts accepted on /api/alerts, by outcome (created, grouped, duplicate, resolved-notice).',
  glasswatch_alerts_rejected_total: 'Requests to /api/alerts answered with an error, by HTTP status.',
  glasswatch_deliveries_total: 'Card deliveries to Teams, by kind (post, update) and result (ok, retry, failed).',
  glasswatch_teams_throttled_total: 'Teams answers of 429 Too Many Requests.',
  glasswatch_notifications_total: 'Escalation side effects sent (mention, reminder, channel, webhook, response-steps), by result.',
  glasswatch_escalations_total: 'Escalations and reminders fired by the clock.',
  glasswatch_actions_total: 'Card actions by verb and result (ok, refused, not-responder).',
};

export class Metrics {
  private readonly counters = new Map<string, number>();

  inc(name: CounterName, labels: Record<string, string> = {}, by = 1): void {
    const key = seriesKey(name, labels);
    this.counters.set(key, (this.counters.get(key) ?? 0) + by);
  }

  get(name: CounterName, labels: Record<string, string> = {}): number {
    return this.counters.get(seriesKey(name, labels)) ?? 0;
  }

  render(gauges: { name: string; help: string; values: { labels: Record<string, string>; value: number }[] }[]): string {
    const lines: string[] = [];
    for (const name of Object.keys(HELP) as CounterName[]) {
      lines.push(`# HELP ${name} ${HELP[name]}`, `# TYPE ${name} counter`);
      for (const [key, value] of this.counters) {
        if (key === name || key.startsWith(`${name}{`)) lines.push(`${key} ${value}`);
      }
    }
    for (const gauge of gauges) {
      lines.push(`# HELP ${gauge.name} ${gauge.help}`, `# TYPE ${gauge.name} gauge`);
      for (const v of gauge.values) lines.push(`${seriesKey(gauge.name, v.labels)} ${v.value}`);
    }
    return `${lines.join('\n')}\n`;
  }
}

function seriesKey(name: string, labels: Record<string, string>): string {
  const parts = Object.entries(labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`);
  return parts.length > 0 ? `${name}{${parts.join(',')}}` : name;
}
