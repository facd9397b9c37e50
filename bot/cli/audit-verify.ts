import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { CliIo } from '../cli.js';
import { verifyChain } from '../audit/hash-chain.js';
import { AuditError, openAuditReadOnly, readAudit } from '../audit/sqlite-audit.js';

export const auditVerifyHelp = {
  usage: 'audit verify [--data-dir DIR]',
  summary: "checks the audit trail's hash chain and names the first broken link (exit 0 intact, 1 broken, 2 could not check)",
};

/** `glasswatch audit verify`: walks the whole trail once, in constant memory, and names the first broken link. */
export async function auditVerify(args: string[], io: CliIo): Promise<number> {
  let values: { 'data-dir'?: string; help?: boolean };
  try {
    ({ values } = parseArgs({ args, options: { 'data-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true }));
  } catch (error) {
    io.stderr.write(`${error instanceof Error ? error.message : String(error)}\nusage: glasswatch ${auditVerifyHelp.usage}\n`);
    return 2;
  }
  if (values.help) {
    io.stdout.write(`usage: glasswatch ${auditVerifyHelp.usage}\n`);
    return 0;
  }

  const opened = openAuditReadOnly(resolve(values['data-dir'] ?? io.env.GLASSWATCH_DATA_DIR ?? 'data'));
  if (!opened.ok) {
    io.stderr.write(`${opened.reason}\n`);
    return 2;
  }
  try {
    const verdict = verifyChain(readAudit(opened.db));
    if (verdict.ok) {
      io.stdout.write(`audit trail intact: ${verdict.count} entries, last hash ${verdict.lastHash}\n`);
      return 0;
    }
    io.stdout.write(`audit trail BROKEN at entry ${verdict.brokenAt}: ${verdict.reason}; entries before it are intact\n`);
    return 1;
  } catch (error) {
    // readAudit yields lazily, so a row it cannot parse is reached only after every earlier entry verified.
    if (error instanceof AuditError && error.code === 'AUDIT_ROW_MALFORMED' && error.seq !== undefined) {
      io.stdout.write(`audit trail BROKEN at entry ${error.seq}: ${error.message}; entries before it are intact\n`);
      return 1;
    }
    io.stderr.write(`could not read the audit trail in ${opened.path}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  } finally {
    opened.db.close();
  }
}
