import type { Known, SignInRow, TenantSnapshot } from './tenant-snapshot.js';

/**
 * Read-only view of the monitored tenant, whatever it comes from: Microsoft Graph + Log Analytics,
 * a snapshot file, or the bundled demo. Readers never throw for a missing permission or licence:
 * they return the section as unknown with the reason.
 */
export interface TenantReader {
  readonly kind: 'graph' | 'file' | 'demo';
  /** The posture data for these accounts (UPNs or object ids, as configured). */
  snapshot(accounts: readonly string[]): Promise<TenantSnapshot>;
  /** Sign-ins of these accounts between since and until, newest first (Log Analytics, or the snapshot's rows). */
  signIns(accounts: readonly string[], since: Date, until: Date): Promise<Known<SignInRow[]>>;
}
