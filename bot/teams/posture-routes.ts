import type { AdaptiveCard } from '../../cards/adaptive-card.js';
import { renderSignInsCard } from '../../cards/signins-card.js';
import { renderStatusCard } from '../../cards/status-card.js';
import { renderNoticeCard } from '../../cards/text-card.js';
import { evaluatePosture } from '../posture/evaluate.js';
import { postureContext } from '../posture/posture-context.js';
import type { Store } from '../store/store.js';
import type { TenantReader } from '../tenant/tenant-reader.js';
import { parseSignInsArgs, signInRowsView, statusView } from './posture-views.js';

export interface PostureRouteDeps {
  store: Store;
  tenantReader?: TenantReader;
  /** The configured break-glass accounts (GLASSWATCH_ACCOUNTS + accounts:). */
  accounts: readonly string[];
  now: () => Date;
}

const NO_READER = renderNoticeCard({
  title: 'No tenant reader is configured',
  lines: [
    'Set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (a read-only app in the monitored tenant) and LOG_ANALYTICS_WORKSPACE_ID, or GLASSWATCH_SNAPSHOT to a file written by `glasswatch snapshot export`.',
  ],
  tone: 'warning',
});

/** `/breakglass status`: every check over the live (or snapshot) tenant, one card. */
export async function statusAnswer(deps: PostureRouteDeps): Promise<AdaptiveCard> {
  if (!deps.tenantReader) return NO_READER;
  const now = deps.now();
  const snapshot = await deps.tenantReader.snapshot(deps.accounts);
  const accounts = deps.accounts.length > 0 ? [...deps.accounts] : snapshot.accounts.map((a) => a.requested);
  const findings = evaluatePosture(snapshot, await postureContext(deps.store, accounts, now));
  const due = await deps.store.listSchedules();
  return renderStatusCard(statusView(snapshot, findings, now, (account) => due.find((s) => s.account === account.toLowerCase())?.nextDue));
}

/** `/breakglass signins [upn] [days]`: recent sign-ins, newest first, each linked to its incident. */
export async function signInsAnswer(deps: PostureRouteDeps, args: readonly string[]): Promise<AdaptiveCard> {
  const parsed = parseSignInsArgs(args);
  if (!parsed.ok) return renderNoticeCard({ title: 'Which sign-ins?', lines: [parsed.message], tone: 'warning' });
  if (!deps.tenantReader) return NO_READER;
  const now = deps.now();
  const since = new Date(now.getTime() - parsed.days * 86_400_000);
  const accounts = parsed.account ? [parsed.account] : deps.accounts;
  const source = deps.tenantReader.kind === 'graph' ? 'log-analytics' : deps.tenantReader.kind;
  const lookup = await deps.tenantReader.signIns(accounts, since, now);
  if (!lookup.ok) {
    return renderSignInsCard({ account: parsed.account, days: parsed.days, now: now.toISOString(), source, rows: [], unavailable: lookup.reason });
  }
  const incidents = await deps.store.incidentsOverlapping(since.toISOString(), now.toISOString(), 200);
  return renderSignInsCard({
    account: parsed.account,
    days: parsed.days,
    now: now.toISOString(),
    source,
    rows: signInRowsView(lookup.value, incidents),
  });
}
