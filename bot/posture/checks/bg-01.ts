import type { TenantSnapshot } from '../../tenant/tenant-snapshot.js';
import type { Finding, PostureContext } from '../finding.js';
import { FIXES, finding, permissionFix } from '../fixes.js';
import { configuredAccounts } from './configured-accounts.js';

const MINIMUM_ACCOUNTS = 2;

/** BG-01 (tenant): at least two emergency access accounts are configured, and every one resolves. */
export function bg01(snapshot: TenantSnapshot, context: PostureContext): Finding[] {
  const accounts = configuredAccounts(snapshot, context);
  if (accounts.length === 0) {
    return [finding('BG-01', '*', 'fail', `No emergency access account is configured. ${candidates(snapshot)}`, FIXES['BG-01'])];
  }
  const notFound = accounts.filter((account) => account.state === 'not-found').map((account) => account.label);
  const unreadable = accounts.flatMap((account) => (account.state === 'unreadable' ? [account] : []));
  const problems = [
    ...(accounts.length < MINIMUM_ACCOUNTS ? [`Only ${accounts.length} account is configured (${accounts[0]?.label ?? ''}); at least ${MINIMUM_ACCOUNTS} are needed`] : []),
    ...(notFound.length > 0 ? [`${notFound.join(', ')} ${notFound.length === 1 ? 'does' : 'do'} not resolve (no such user in the tenant)`] : []),
  ];
  const unreadableText = unreadable.map((account) => `${account.label} could not be read: ${account.reason}`);
  if (problems.length > 0) {
    return [finding('BG-01', '*', 'fail', sentence([...problems, ...unreadableText]), FIXES['BG-01'])];
  }
  if (unreadable.length > 0) {
    const permission = unreadable.find((account) => account.permission !== undefined)?.permission;
    const fix = permission ? permissionFix(permission) : 'Make every configured account readable (export the snapshot again with these accounts configured), then run the check again.';
    return [finding('BG-01', '*', 'unknown', sentence(unreadableText), fix)];
  }
  return [finding('BG-01', '*', 'pass', `${accounts.length} accounts configured, all resolve: ${accounts.map((a) => a.label).join(', ')}.`, '')];
}

function candidates(snapshot: TenantSnapshot): string {
  const known = snapshot.candidates;
  if (known === undefined) return 'No candidates were looked up.';
  if (!known.ok) return `Candidates could not be listed: ${known.reason}.`;
  if (known.value.length === 0) return 'No candidate found (a permanent Global Administrator with only phishing-resistant methods).';
  return `Candidates (permanent Global Administrators with only phishing-resistant methods): ${known.value.map((c) => c.userPrincipalName).join(', ')}.`;
}

/** Parts may start with an account name: never change its case. */
function sentence(parts: string[]): string {
  return `${parts.join('; ')}.`;
}
