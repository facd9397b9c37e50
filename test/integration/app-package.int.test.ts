import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-dir.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const APP_ID = '1b2c3d4e-0000-4000-8000-0123456789ab';
const DOMAIN = 'glasswatch.example.net';

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Only PATH and HOME from the outer environment, so a developer's own variables cannot leak in. */
function cleanEnv(extra: Record<string, string>): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...extra };
}

function runScript(args: string[], env: Record<string, string>): Run {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'appPackage/build-package.ts', ...args], {
    cwd: ROOT,
    env: cleanEnv(env),
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function unzip(path: string): Record<string, Uint8Array> {
  return unzipSync(readFileSync(path));
}

describe('npm run package', () => {
  let dir: { path: string; remove: () => void };
  let noEnvFile: string;
  beforeEach(() => {
    dir = tempDir('glasswatch-package-');
    // An empty env file keeps the repository's own .env, if a developer has one, out of the test.
    noEnvFile = join(dir.path, 'empty.env');
    writeFileSync(noEnvFile, '');
  });
  afterEach(() => dir.remove());

  it('writes a zip with manifest.json and the two icons at its root, filled from the environment', () => {
    const out = join(dir.path, 'nested', 'glasswatch.zip');
    const run = runScript(['--out', out, '--env-file', noEnvFile], { MICROSOFT_APP_ID: APP_ID, BOT_DOMAIN: DOMAIN });

    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`wrote ${out}`);

    const files = unzip(out);
    expect(Object.keys(files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const manifestBytes = files['manifest.json'] ?? new Uint8Array();
    const manifestText = new TextDecoder().decode(manifestBytes);
    expect(manifestText).not.toContain('${{');
    expect(JSON.parse(manifestText)).toMatchObject({
      manifestVersion: '1.30',
      id: APP_ID,
      bots: [{ botId: APP_ID }],
      validDomains: [DOMAIN],
      icons: { color: 'color.png', outline: 'outline.png' },
    });
    expect(Buffer.from(files['color.png'] ?? []).equals(readFileSync(join(ROOT, 'appPackage', 'color.png')))).toBe(true);
    expect(Buffer.from(files['outline.png'] ?? []).equals(readFileSync(join(ROOT, 'appPackage', 'outline.png')))).toBe(true);
  });

  it('runs as the npm script, reading the bot\'s own MicrosoftAppId from an env file', () => {
    const envFile = join(dir.path, 'bot.env');
    writeFileSync(envFile, `MicrosoftAppId=${APP_ID}\nBOT_DOMAIN=${DOMAIN}\n`);
    const out = join(dir.path, 'from-npm.zip');
    const result = spawnSync('npm', ['run', '--silent', 'package', '--', '--out', out, '--env-file', envFile], {
      cwd: ROOT,
      env: cleanEnv({}),
      encoding: 'utf8',
      timeout: 60_000,
    });

    expect(result.status).toBe(0);
    const manifest: unknown = JSON.parse(new TextDecoder().decode(unzip(out)['manifest.json']));
    expect(manifest).toMatchObject({ id: APP_ID, validDomains: [DOMAIN] });
  });

  it('exits 2 naming both variables when they are missing, and writes nothing', () => {
    const out = join(dir.path, 'missing.zip');
    const run = runScript(['--out', out, '--env-file', noEnvFile], {});

    expect(run.status).toBe(2);
    expect(run.stderr).toContain('MICROSOFT_APP_ID is not set');
    expect(run.stderr).toContain('BOT_DOMAIN is not set');
    expect(existsSync(out)).toBe(false);
  });

  it('exits 2 for a malformed app id or domain, and for an unknown option', () => {
    const out = join(dir.path, 'bad.zip');
    const bad = runScript(['--out', out, '--env-file', noEnvFile], { MICROSOFT_APP_ID: 'my-bot', BOT_DOMAIN: `https://${DOMAIN}/api/messages` });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('MICROSOFT_APP_ID="my-bot" is not a GUID');
    expect(bad.stderr).toContain('BOT_DOMAIN="https://glasswatch.example.net/api/messages" has a scheme');
    expect(existsSync(out)).toBe(false);

    const unknown = runScript(['--output', out], { MICROSOFT_APP_ID: APP_ID, BOT_DOMAIN: DOMAIN });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('usage: npm run package');
  });
});
