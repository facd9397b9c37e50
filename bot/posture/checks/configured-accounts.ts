import type { SnapshotAccount, SnapshotUser, TenantSnapshot } from '../../tenant/tenant-snapshot.js';
import type { CheckId, Finding, PostureContext } from '../finding.js';
import { finding } from '../fixes.js';

/** A configured account that resolved to a user: the only kind per-account checks look at. */
export interface ResolvedAccount {
  configured: string;
  /** The UPN: what findings name the account by. */
  label: string;
  entry: SnapshotAccount;
  user: SnapshotUser;
}

/** A configured account and what the snapshot says about it. */
export type ConfiguredAccount =
  | ({ state: 'resolved' } & ResolvedAccount)
  /** Graph answered 404: no such user. */
  | { state: 'not-found'; configured: string; label: string }
  /** The user could not be read (permission, licence, or absent from a snapshot file). */
  | { state: 'unreadable'; configured: string; label: string; reason: string; permission?: string };

/** Same spelling rules as the config: UPNs and object ids compare case-insensitively. */
export function sameName(a: string | null | undefined, b: string | null | undefined): boolean {
  return typeof a === 'string' && typeof b === 'string' && a.trim().toLowerCase() === b.trim().toLowerCase();
}

/** The configured accounts, deduplicated and in configured order, each matched to its snapshot entry. */
export function configuredAccounts(snapshot: TenantSnapshot, context: PostureContext): ConfiguredAccount[] {
  const seen = new Set<string>();
  const result: ConfiguredAccount[] = [];
  for (const raw of context.accounts) {
    const configured = raw.trim();
    if (configured === '' || seen.has(configured.toLowerCase())) continue;
    seen.add(configured.toLowerCase());
    result.push(resolve(configured, findEntry(snapshot, configured)));
  }
  return result;
}

/** The snapshot entry for a configured value: by what was requested, else by the user's UPN or id. */
export function findEntry(snapshot: TenantSnapshot, configured: string): SnapshotAccount | undefined {
  return (
    snapshot.accounts.find((entry) => sameName(entry.requested, configured)) ??
    snapshot.accounts.find(
      (entry) => entry.user.ok && entry.user.value !== null && (sameName(entry.user.value.userPrincipalName, configured) || sameName(entry.user.value.id, configured)),
    )
  );
}

function resolve(configured: string, entry: SnapshotAccount | undefined): ConfiguredAccount {
  if (entry === undefined) {
    return {
      state: 'unreadable',
      configured,
      label: configured,
      reason: 'the account is not in the tenant snapshot: export the snapshot again with this account configured',
    };
  }
  if (!entry.user.ok) return { state: 'unreadable', configured, label: configured, reason: entry.user.reason, permission: entry.user.permission };
  if (entry.user.value === null) return { state: 'not-found', configured, label: configured };
  return { state: 'resolved', configured, label: entry.user.value.userPrincipalName, entry, user: entry.user.value };
}

/** What a per-account check decides for one resolved account. */
export interface AccountVerdict {
  status: Finding['status'];
  evidence: string;
  fix: string;
}

/**
 * Runs a per-account check over every configured account. An account that does not resolve gets
 * `unknown` here (BG-01 fails or flags it), never a pass.
 */
export function perAccount(
  id: CheckId,
  snapshot: TenantSnapshot,
  context: PostureContext,
  check: (account: ResolvedAccount) => AccountVerdict,
): Finding[] {
  return configuredAccounts(snapshot, context).map((account) => {
    switch (account.state) {
      case 'resolved': {
        const verdict = check(account);
        return finding(id, account.label, verdict.status, verdict.evidence, verdict.fix);
      }
      case 'not-found':
        return finding(id, account.label, 'unknown', 'account does not resolve: no such user in the tenant (see BG-01).', 'Fix BG-01 first: correct the configured UPN or object id.');
      case 'unreadable':
        return finding(id, account.label, 'unknown', `account could not be read: ${account.reason} (see BG-01).`, 'Fix BG-01 first.');
      default:
        return assertNever(account);
    }
  });
}

export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}

/** "Policy.Read.All" from the section, else the permission this section normally needs. */
export function permissionOf(section: { permission?: string }, fallback: string): string {
  return section.permission ?? fallback;
}
