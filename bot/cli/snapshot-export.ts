import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { CliIo } from '../cli.js';
import { resolveTenantReader } from '../tenant/resolve-tenant-reader.js';
import { writeSnapshotFile } from '../tenant/snapshot-file.js';
import { configuredAccountList } from './check.js';

export const snapshotExportHelp = {
  usage: 'snapshot export --out FILE [--accounts UPN,UPN]',
  summary: "writes the monitored tenant's posture data to a snapshot file that check --snapshot and local mode read",
};

/** `glasswatch snapshot export`: reads the tenant once and writes the snapshot atomically. */
export async function snapshotExport(args: string[], io: CliIo): Promise<number> {
  let values: { out?: string; accounts?: string; help?: boolean };
  try {
    ({ values } = parseArgs({ args, options: { out: { type: 'string' }, accounts: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true }));
  } catch (error) {
    io.stderr.write(`${error instanceof Error ? error.message : String(error)}\nusage: glasswatch ${snapshotExportHelp.usage}\n`);
    return 2;
  }
  if (values.help) {
    io.stdout.write(`usage: glasswatch ${snapshotExportHelp.usage}\n`);
    return 0;
  }
  if (!values.out) {
    io.stderr.write(`--out FILE is required.\nusage: glasswatch ${snapshotExportHelp.usage}\n`);
    return 2;
  }
  const reader = resolveTenantReader(io.env);
  if (!reader.ok) {
    io.stderr.write(`${reader.message}\n`);
    return 2;
  }
  const accounts = configuredAccountList(values.accounts, io.env);
  if (!accounts.ok) {
    io.stderr.write(`${accounts.problems.join('\n')}\n`);
    return 2;
  }
  const out = resolve(values.out);
  try {
    const snapshot = await reader.reader.snapshot(accounts.accounts);
    writeSnapshotFile(out, snapshot);
    io.stdout.write(`wrote ${out}: tenant ${snapshot.tenantId}, ${snapshot.accounts.length} account(s), from ${reader.reader.kind}\n`);
    return 0;
  } catch (error) {
    io.stderr.write(`could not export the snapshot to ${out}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
}
