#!/usr/bin/env node
import { config } from 'dotenv';
import { auditExport, auditExportHelp } from './cli/audit-export.js';
import { auditVerify, auditVerifyHelp } from './cli/audit-verify.js';
import { check, checkHelp } from './cli/check.js';
import { snapshotExport, snapshotExportHelp } from './cli/snapshot-export.js';
import { simulate, simulateHelp } from './cli/simulate.js';

/** What a command may touch, passed in so tests can run commands in-process. */
export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

/** A subcommand: its arguments after the command words, and the exit code it wants. */
export type CliCommand = (args: string[], io: CliIo) => Promise<number>;

interface CommandHelp {
  /** Starts with the command words. */
  usage: string;
  summary: string;
}

/** One line per command. */
const COMMANDS: ReadonlyArray<{ name: string; help: CommandHelp; run: CliCommand }> = [
  { name: 'audit verify', help: auditVerifyHelp, run: auditVerify },
  { name: 'audit export', help: auditExportHelp, run: auditExport },
  { name: 'check', help: checkHelp, run: check },
  { name: 'snapshot export', help: snapshotExportHelp, run: snapshotExport },
  { name: 'simulate', help: simulateHelp, run: simulate },
];

function usage(): string {
  const lines = COMMANDS.map((command) => `  ${command.help.usage}\n      ${command.help.summary}`);
  return ['usage: glasswatch <command> [options]', '', ...lines, '  help\n      shows this', ''].join('\n');
}

async function runCli(argv: string[], io: CliIo): Promise<number> {
  const first = argv[0];
  if (first === 'help' || first === '--help' || first === '-h') {
    io.stdout.write(usage());
    return 0;
  }
  // Longest match first, so a command may share its first word with another.
  const command = COMMANDS.map((candidate) => ({ ...candidate, words: candidate.name.split(' ') }))
    .filter((candidate) => candidate.words.every((word, index) => argv[index] === word))
    .sort((a, b) => b.words.length - a.words.length)[0];
  if (command === undefined) {
    io.stderr.write(`${argv.length === 0 ? 'no command given' : `unknown command: ${argv.join(' ')}`}\n${usage()}`);
    return 2;
  }
  try {
    return await command.run(argv.slice(command.words.length), io);
  } catch (error) {
    io.stderr.write(`glasswatch ${command.name} failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
}

config({ quiet: true });
// exitCode rather than exit(): let stdout drain when it is a pipe.
process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
