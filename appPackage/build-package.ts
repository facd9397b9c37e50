import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parse as parseDotenv } from 'dotenv';
import { assemblePackage, COLOR_ICON, OUTLINE_ICON, type Env } from './package-lib.js';

/**
 * `npm run package [-- --out FILE] [--env-file FILE]`: fills the manifest template with the bot's app
 * id and domain, validates it against the schema bundled in @microsoft/app-manifest (offline), checks
 * the icons and writes the zip to upload to Teams. Exit 0: written; 1: the package is invalid; 2: bad
 * input (environment or arguments).
 */

const HERE = dirname(fileURLToPath(import.meta.url));
const USAGE = 'usage: npm run package [-- --out FILE] [--env-file FILE]\n  reads MICROSOFT_APP_ID (or MicrosoftAppId) and BOT_DOMAIN from the environment and .env\n';

function fail(code: 1 | 2, problems: string[]): number {
  process.stderr.write(`glasswatch package: ${code === 2 ? 'cannot build' : 'invalid package'}\n${problems.map((p) => `  - ${p}\n`).join('')}`);
  return code;
}

/** The environment wins over the env file, as dotenv does it. */
function readEnv(envFile: string | undefined): { ok: true; env: Env } | { ok: false; problem: string } {
  const path = resolve(envFile ?? '.env');
  if (!existsSync(path)) {
    if (envFile !== undefined) return { ok: false, problem: `--env-file ${path} does not exist` };
    return { ok: true, env: { ...process.env } };
  }
  return { ok: true, env: { ...parseDotenv(readFileSync(path)), ...process.env } };
}

function readVersion(): string {
  const parsed: unknown = JSON.parse(readFileSync(resolve(HERE, '..', 'package.json'), 'utf8'));
  if (typeof parsed === 'object' && parsed !== null && 'version' in parsed && typeof parsed.version === 'string') return parsed.version;
  return '';
}

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({ args: argv, options: { out: { type: 'string' }, 'env-file': { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    process.stderr.write(USAGE);
    return fail(2, [error instanceof Error ? error.message : String(error)]);
  }
  if (args.values.help === true) {
    process.stdout.write(USAGE);
    return 0;
  }

  const env = readEnv(args.values['env-file']);
  if (!env.ok) return fail(2, [env.problem]);

  const result = await assemblePackage(env.env, {
    template: readFileSync(resolve(HERE, 'manifest.template.json'), 'utf8'),
    version: readVersion(),
    color: readFileSync(resolve(HERE, COLOR_ICON.file)),
    outline: readFileSync(resolve(HERE, OUTLINE_ICON.file)),
  });
  if (!result.ok) return fail(result.exitCode, result.problems);

  const out = resolve(args.values.out ?? resolve(HERE, 'build', 'glasswatch.zip'));
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, result.zip);
  process.stdout.write(`wrote ${out}: upload it in Teams (Apps → Manage your apps → Upload an app) or the Teams admin center\n`);
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
