import { once } from 'node:events';
import { open, rename, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { finished } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import type { CliIo } from '../cli.js';
import type { AuditEntry } from '../audit/audit-entry.js';
import { openAuditReadOnly, readAudit } from '../audit/sqlite-audit.js';

export const auditExportHelp = {
  usage: 'audit export [--data-dir DIR] [--out FILE] [--incident ID]',
  summary: 'writes the audit trail as JSON lines, to stdout unless --out (run audit verify to check it)',
};

/** `glasswatch audit export`: one JSON object per line, in seq order, streamed. */
export async function auditExport(args: string[], io: CliIo): Promise<number> {
  let values: { 'data-dir'?: string; out?: string; incident?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        'data-dir': { type: 'string' },
        out: { type: 'string' },
        incident: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    io.stderr.write(`${error instanceof Error ? error.message : String(error)}\nusage: glasswatch ${auditExportHelp.usage}\n`);
    return 2;
  }
  if (values.help) {
    io.stdout.write(`usage: glasswatch ${auditExportHelp.usage}\n`);
    return 0;
  }

  const opened = openAuditReadOnly(resolve(values['data-dir'] ?? io.env.GLASSWATCH_DATA_DIR ?? 'data'));
  if (!opened.ok) {
    io.stderr.write(`${opened.reason}\n`);
    return 2;
  }
  try {
    const entries = readAudit(opened.db, values.incident === undefined ? {} : { incidentId: values.incident });
    if (values.out === undefined) {
      await writeEntries(io.stdout, entries);
      return 0;
    }
    const out = resolve(values.out);
    const count = await writeFileAtomically(out, entries);
    io.stderr.write(`exported ${count} audit entries to ${out}\n`);
    return 0;
  } catch (error) {
    io.stderr.write(`could not export the audit trail from ${opened.path}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  } finally {
    opened.db.close();
  }
}

async function writeEntries(out: NodeJS.WritableStream, entries: Iterable<AuditEntry>): Promise<number> {
  let count = 0;
  for (const entry of entries) {
    if (!out.write(`${JSON.stringify(entry)}\n`)) await once(out, 'drain');
    count += 1;
  }
  return count;
}

/** Writes beside the target and renames, so a failed export never leaves a truncated file under the real name. */
async function writeFileAtomically(path: string, entries: Iterable<AuditEntry>): Promise<number> {
  const partial = `${path}.partial-${process.pid}`;
  const handle = await open(partial, 'wx');
  const stream = handle.createWriteStream();
  try {
    const count = await writeEntries(stream, entries);
    stream.end();
    await finished(stream);
    await rename(partial, path);
    return count;
  } catch (error) {
    stream.destroy();
    await rm(partial, { force: true });
    throw error;
  }
}
