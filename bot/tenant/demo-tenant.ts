import demoJson from './demo-snapshot.json' with { type: 'json' };
import { narrowSnapshot } from './snapshot-file.js';
import type { TenantReader } from './tenant-reader.js';
import { tenantSnapshotSchema, type Known, type SignInRow, type TenantSnapshot } from './tenant-snapshot.js';

/** The demo tenant's break-glass accounts: one mostly healthy, one with the usual problems. */
export const DEMO_ACCOUNTS: readonly string[] = ['bg-admin-01@contoso.onmicrosoft.com', 'bg-admin-02@contoso.onmicrosoft.com'];

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** The bundled snapshot, validated once at load: a broken demo file fails loudly, at start. */
export const DEMO_SNAPSHOT: TenantSnapshot = tenantSnapshotSchema.parse(demoJson);

/**
 * The bundled "contoso" demo tenant, for local mode. With a clock, every time in it moves so the
 * snapshot looks taken just now ("signed in two days ago" stays two days ago); without one it is
 * exactly the file.
 */
export function demoTenantReader(options: { now?: () => Date } = {}): TenantReader {
  const current = (): TenantSnapshot => (options.now ? shiftTimes(DEMO_SNAPSHOT, options.now().getTime() - Date.parse(DEMO_SNAPSHOT.takenAt)) : DEMO_SNAPSHOT);
  return {
    kind: 'demo',
    snapshot: async (accounts) => narrowSnapshot(current(), accounts, 'demo'),
    signIns: async (accounts, since, until): Promise<Known<SignInRow[]>> => {
      const narrowed = narrowSnapshot(current(), accounts, 'demo').signIns;
      if (!narrowed.ok) return narrowed;
      const inRange = narrowed.value.filter((row) => {
        const time = Date.parse(row.time);
        return time >= since.getTime() && time <= until.getTime();
      });
      return { ok: true, value: inRange };
    },
  };
}

function shiftTimes(snapshot: TenantSnapshot, deltaMs: number): TenantSnapshot {
  const shift = (value: unknown): unknown => {
    if (typeof value === 'string') return ISO_UTC.test(value) ? new Date(Date.parse(value) + deltaMs).toISOString() : value;
    if (Array.isArray(value)) return value.map(shift);
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, shift(inner)]));
    return value;
  };
  return tenantSnapshotSchema.parse(shift(snapshot));
}
