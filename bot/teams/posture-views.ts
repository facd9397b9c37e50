import type { StatusAccountRow, StatusCardModel } from '../../cards/status-card.js';
import type { SignInsCardRow } from '../../cards/signins-card.js';
import type { Finding } from '../posture/finding.js';
import { verdict } from '../posture/verdict.js';
import type { Incident } from '../incidents/incident.js';
import type { SignInRow, TenantSnapshot } from '../tenant/tenant-snapshot.js';

const DAY_MS = 86_400_000;

/** Findings + snapshot → the status card's view model (pure). */
export function statusView(snapshot: TenantSnapshot, findings: readonly Finding[], now: Date, nextDrillDue: (account: string) => string | undefined): StatusCardModel {
  const tenantFindings = findings.filter((f) => f.account === '*');
  const accountNames = [...new Set(findings.filter((f) => f.account !== '*').map((f) => f.account))];
  return {
    tenantId: snapshot.tenantId,
    evaluatedAt: now.toISOString(),
    source: snapshot.source,
    tenant: { verdict: verdict(tenantFindings), findings: tenantFindings },
    accounts: accountNames.map((account): StatusAccountRow => {
      const mine = findings.filter((f) => f.account === account);
      const snap = snapshot.accounts.find((a) => (a.user.ok && a.user.value ? a.user.value.userPrincipalName : a.requested).toLowerCase() === account.toLowerCase());
      const user = snap?.user.ok ? snap.user.value : undefined;
      const activity = snap?.signInActivity.ok ? snap.signInActivity.value : undefined;
      const passwordChanged = user?.lastPasswordChangeDateTime ?? undefined;
      return {
        account,
        verdict: verdict(mine),
        failing: mine.filter((f) => f.status !== 'pass'),
        passed: mine.filter((f) => f.status === 'pass').length,
        lastSignIn: activity?.lastSuccessfulSignInDateTime ?? activity?.lastSignInDateTime ?? undefined,
        passwordChanged,
        passwordAgeDays: passwordChanged ? Math.floor((now.getTime() - Date.parse(passwordChanged)) / DAY_MS) : undefined,
        nextDrillDue: nextDrillDue(account),
      };
    }),
  };
}

/** Sign-in rows → card rows, each linked to the incident that covers it, if any (pure). */
export function signInRowsView(rows: readonly SignInRow[], incidents: readonly Incident[]): SignInsCardRow[] {
  return rows.map((row) => {
    const account = row.upn ?? row.userId ?? row.appId ?? 'unknown';
    const incident = incidents.find((i) => covers(i, account, row.time));
    return {
      time: row.time,
      account,
      result: row.resultType,
      resultDescription: row.resultDescription ?? undefined,
      ip: row.ipAddress ?? undefined,
      location: row.location ?? undefined,
      app: row.app ?? undefined,
      conditionalAccess: row.conditionalAccessStatus ?? undefined,
      authMethod: row.authenticationMethod ?? undefined,
      link: incident ? { kind: 'incident', label: `incident · ${incident.status}` } : undefined,
    };
  });
}

/** Alerts fire minutes after the sign-in: an incident covers sign-ins from an hour before its first alert. */
function covers(incident: Incident, account: string, time: string): boolean {
  const subject = incident.subject;
  const name = subject.kind === 'user' ? (subject.upn ?? subject.objectId) : subject.kind === 'service-principal' ? subject.appId : undefined;
  if (!name || name.toLowerCase() !== account.toLowerCase()) return false;
  const at = Date.parse(time);
  return at >= Date.parse(incident.firstSeen) - 3_600_000 && at <= Date.parse(incident.lastSeen);
}

/** `signins [upn] [days]`, in either order; days 1–90 (Log Analytics' default retention). */
export function parseSignInsArgs(args: readonly string[]): { ok: true; account?: string; days: number } | { ok: false; message: string } {
  let account: string | undefined;
  let days = 7;
  for (const arg of args) {
    if (/^\d+$/.test(arg)) {
      days = Number(arg);
      if (days < 1 || days > 90) return { ok: false, message: `"${arg}" days: ask for 1 to 90 days, e.g. "signins 30".` };
    } else if (account === undefined) {
      account = arg.replace(/^<[^>]*>|<\/?[^>]*>/g, '').trim();
    } else {
      return { ok: false, message: 'Usage: signins [upn] [days], e.g. "signins bg1@contoso.onmicrosoft.com 30".' };
    }
  }
  return { ok: true, account, days };
}
