import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { CliIo } from '../cli.js';
import { readConfigFile } from '../config-file.js';
import { evaluatePosture } from '../posture/evaluate.js';
import type { Finding, PostureContext } from '../posture/finding.js';
import { ALERTING_WINDOW_MS } from '../posture/posture-context.js';
import { resolveTenantReader } from '../tenant/resolve-tenant-reader.js';
import { fileTenantReader } from '../tenant/snapshot-file.js';
import type { TenantReader } from '../tenant/tenant-reader.js';
import type { TenantSnapshot } from '../tenant/tenant-snapshot.js';
import { renderJson, renderJunit, renderTable, type CheckReport } from './check-formats.js';

export const checkHelp = {
  usage: 'check [--snapshot FILE] [--format table|json|junit] [--accounts UPN,UPN]',
  summary: 'evaluates the break-glass checks once (exit 0 nothing failed, 1 a check failed, 2 could not evaluate)',
};

const FORMATS = { table: renderTable, json: renderJson, junit: renderJunit } as const;
type Format = keyof typeof FORMATS;
const isFormat = (value: string): value is Format => Object.hasOwn(FORMATS, value);

/** `glasswatch check`: one evaluation for a pipeline. The output goes to stdout, reasons to stderr. */
export async function check(args: string[], io: CliIo): Promise<number> {
  let values: { snapshot?: string; format?: string; accounts?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: { snapshot: { type: 'string' }, format: { type: 'string' }, accounts: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
    }));
  } catch (error) {
    io.stderr.write(`${error instanceof Error ? error.message : String(error)}\nusage: glasswatch ${checkHelp.usage}\n`);
    return 2;
  }
  if (values.help) {
    io.stdout.write(`usage: glasswatch ${checkHelp.usage}\n`);
    return 0;
  }
  const format = values.format ?? 'table';
  if (!isFormat(format)) {
    io.stderr.write(`--format ${format}: use table, json or junit.\n`);
    return 2;
  }

  const reader = values.snapshot ? ({ ok: true, reader: fileTenantReader(resolve(values.snapshot), 'file') } as const) : resolveTenantReader(io.env);
  if (!reader.ok) {
    io.stderr.write(`could not evaluate: ${reader.message}\n`);
    return 2;
  }
  const accounts = configuredAccountList(values.accounts, io.env);
  if (!accounts.ok) {
    io.stderr.write(`could not evaluate: ${accounts.problems.join('\n')}\n`);
    return 2;
  }
  const snapshot = await readSnapshot(reader.reader, accounts.accounts, io);
  if (snapshot === undefined) return 2;

  const now = new Date();
  const context: PostureContext = {
    now,
    // With nothing configured, every account the snapshot holds is the one to check.
    accounts: accounts.accounts.length > 0 ? accounts.accounts : snapshot.accounts.map((account) => account.requested),
    // `check` runs without the bot's store: drills, alerts and reviews are not known here.
    lastDrill: undefined,
    lastAlertAt: undefined,
    alertingWindowMs: ALERTING_WINDOW_MS,
    accountedSignIns: [],
    lastReviewAt: undefined,
  };
  const findings = evaluatePosture(snapshot, context);
  const report: CheckReport = { tenantId: snapshot.tenantId, evaluatedAt: now.toISOString(), findings };
  io.stdout.write(FORMATS[format](report));
  return exitCode(findings, io);
}

/** 1 when anything failed; else 2 when the accounts themselves could not be read (BG-01 unknown); else 0. */
function exitCode(findings: Finding[], io: CliIo): number {
  if (findings.some((finding) => finding.status === 'fail')) return 1;
  const accounts = findings.find((finding) => finding.id === 'BG-01' && finding.status === 'unknown');
  if (accounts) {
    io.stderr.write(`could not evaluate the configured accounts: ${accounts.evidence} ${accounts.fix}\n`);
    return 2;
  }
  return 0;
}

async function readSnapshot(reader: TenantReader, accounts: string[], io: CliIo): Promise<TenantSnapshot | undefined> {
  try {
    return await reader.snapshot(accounts);
  } catch (error) {
    io.stderr.write(`could not evaluate: ${error instanceof Error ? error.message : String(error)}\n`);
    return undefined;
  }
}

export type AccountList = { ok: true; accounts: string[] } | { ok: false; problems: string[] };

/**
 * The break-glass accounts to look at: --accounts when given; else, as the bot does, the config
 * file's `accounts:` plus GLASSWATCH_ACCOUNTS. Empty means "whatever the tenant reader finds".
 */
export function configuredAccountList(flag: string | undefined, env: Record<string, string | undefined>, cwd: string = process.cwd()): AccountList {
  if (flag !== undefined) return { ok: true, accounts: unique(split(flag)) };
  const explicit = env.GLASSWATCH_CONFIG?.trim();
  const path = resolve(cwd, explicit || 'glasswatch.yaml');
  let fromFile: string[] = [];
  if (explicit || existsSync(path)) {
    const read = readConfigFile(path);
    if (!read.ok) return { ok: false, problems: read.problems };
    fromFile = read.file.accounts;
  }
  return { ok: true, accounts: unique([...fromFile, ...split(env.GLASSWATCH_ACCOUNTS)]) };
}

function split(raw: string | undefined): string[] {
  return (raw ?? '').split(',').map((value) => value.trim()).filter((value) => value !== '');
}

function unique(values: string[]): string[] {
  const byKey = new Map<string, string>();
  for (const value of values) if (!byKey.has(value.toLowerCase())) byKey.set(value.toLowerCase(), value);
  return [...byKey.values()];
}
