import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Logger } from 'pino';

export interface PlaygroundOptions {
  /** The bot's base URL; the playground talks to `<botUrl>/api/messages`. */
  botUrl: string;
  /** Absent: the playground's own default (TEAMSAPPTESTER_PORT, else 56150; a busy port falls back to a random one). */
  port?: number;
  logger: Logger;
  /** The playground's own log. Its console goes only there when stdout is not a terminal. */
  logFile?: string;
  startTimeoutMs?: number;
}

export interface RunningPlayground {
  url: string;
  stop(): Promise<void>;
}

const PACKAGE = '@microsoft/m365agentsplayground';
const STOP_GRACE_MS = 3_000;

/**
 * Preloaded into the playground's process. It calls `listen(port)` with no host, which binds every
 * interface; local mode promises loopback only, so an unhosted listen gets 127.0.0.1. The IPC
 * channel closes when the bot dies, even by SIGKILL, so the playground never outlives it.
 */
const PRELOAD = [
  "import net from 'node:net';",
  'const listen = net.Server.prototype.listen;',
  'net.Server.prototype.listen = function (...args) {',
  "  if (typeof args[0] === 'number' && typeof args[1] !== 'string') args.splice(1, 0, '127.0.0.1');",
  "  else if (typeof args[0] === 'object' && args[0] !== null && 'port' in args[0] && !('host' in args[0])) args[0] = { ...args[0], host: '127.0.0.1' };",
  '  return listen.apply(this, args);',
  '};',
  "process.on('disconnect', () => process.exit(0));",
].join('\n');

/** Only what the playground needs from the environment: the bot's secrets stay with the bot. */
const ENV_KEPT = /^(PATH|HOME|USERPROFILE|APPDATA|LOCALAPPDATA|SYSTEMROOT|TMPDIR|TEMP|TMP|LANG|LC_ALL|TZ|TEAMSAPPTESTER_.*|M365_AGENTS_PLAYGROUND_.*)$/i;

/**
 * Starts the Microsoft 365 Agents Playground (a dev dependency) against the bot and resolves once
 * it serves, its mock-Teams config loaded. Rejects with the reason when it is not installed or
 * does not start.
 */
export async function startPlayground(options: PlaygroundOptions): Promise<RunningPlayground> {
  const { logger } = options;
  const cli = resolvePlaygroundCli();
  const endpoint = new URL('/api/messages', options.botUrl).toString();
  const logFile = options.logFile ?? join(tmpdir(), `glasswatch-playground-${process.pid}.log`);
  const logStart = existsSync(logFile) ? statSync(logFile).size : 0;
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => ENV_KEPT.test(key)));
  env.TEAMSAPPTESTER_BROWSER = 'none';
  env.M365_AGENTS_PLAYGROUND_LOGFILE = logFile;

  const args = [
    '--import',
    `data:text/javascript,${encodeURIComponent(PRELOAD)}`,
    cli,
    'start',
    '--app-endpoint',
    endpoint,
    '--channel-id',
    'msteams',
    ...(options.port === undefined ? [] : ['--port', String(options.port)]),
    '--disable-telemetry',
  ];
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  let spawnError: Error | undefined;
  const exited = new Promise<string>((done) => {
    child.once('exit', (code, signal) => done(signal ?? `code ${code}`));
    child.once('error', (error) => {
      spawnError = error;
      done('spawn failed');
    });
  });

  let listening: (port: number) => void = () => undefined;
  const listeningOn = new Promise<number>((done) => {
    listening = done;
  });
  const forward = lineReader((raw) => {
    const line = cleanLine(raw);
    if (line === '') return;
    logger.debug({ component: 'playground' }, line);
    const match = /^Listening on (\d+)$/.exec(line);
    if (match?.[1]) listening(Number(match[1]));
  });
  child.stdout?.on('data', forward);
  child.stderr?.on('data', lineReader((raw) => {
    const line = cleanLine(raw);
    if (line !== '') logger.debug({ component: 'playground', stream: 'stderr' }, line);
  }));

  const alive = () => child.exitCode === null && child.signalCode === null;
  let stopping = false;
  const stop = async (): Promise<void> => {
    stopping = true;
    if (child.pid === undefined || !alive()) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  };

  const timeoutMs = options.startTimeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  const failure = (what: string) => {
    const reason = spawnError ? `it could not be spawned: ${spawnError.message}` : what;
    const said = errorsLogged(logFile, logStart);
    return new Error(said ? `${reason}: ${said}` : `${reason} (its log: ${logFile})`);
  };
  const outcome = await Promise.race([
    listeningOn.then((port) => waitUntilServing(port, deadline, alive).then((serving) => ({ kind: serving ? 'ready' : 'timeout', port }) as const)),
    exited.then((how) => ({ kind: 'exited', how }) as const),
    sleep(timeoutMs).then(() => ({ kind: 'timeout', port: undefined }) as const),
  ]);
  if (outcome.kind !== 'ready') {
    await stop();
    throw outcome.kind === 'exited' ? failure(`it exited (${outcome.how}) while starting`) : failure(`it did not start within ${timeoutMs} ms`);
  }

  void exited.then((how) => {
    if (!stopping) logger.warn({ how, reason: errorsLogged(logFile, logStart) }, 'the Agents Playground stopped; the bot keeps running');
  });
  // The preload's IPC channel exists only to tell the child we are gone; it must not keep us alive.
  child.channel?.unref();
  const url = `http://127.0.0.1:${outcome.port}`;
  logger.info({ url, endpoint }, 'agents playground listening');
  return { url, stop };
}

/**
 * The playground is a convenience, never a reason to fail: a production install (no dev
 * dependencies) or a playground that does not start leaves a warning and a running bot.
 */
export async function startPlaygroundOrWarn(options: PlaygroundOptions): Promise<RunningPlayground | undefined> {
  try {
    return await startPlayground(options);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    options.logger.warn({ reason }, 'the Agents Playground did not start; the bot runs without it (GLASSWATCH_PLAYGROUND=off silences this)');
    return undefined;
  }
}

function resolvePlaygroundCli(): string {
  let manifestPath: string;
  try {
    manifestPath = createRequire(import.meta.url).resolve(`${PACKAGE}/package.json`);
  } catch (error) {
    if (Reflect.get(Object(error), 'code') !== 'MODULE_NOT_FOUND') throw error;
    throw new Error(`${PACKAGE} is not installed (it is a dev dependency: run \`npm ci\` without --omit=dev)`);
  }
  const manifest: unknown = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const bin = typeof manifest === 'object' && manifest !== null ? Reflect.get(manifest, 'bin') : undefined;
  const entry = typeof bin === 'object' && bin !== null ? Reflect.get(bin, 'agentsplayground') : undefined;
  if (typeof entry !== 'string') throw new Error(`${PACKAGE} has no "agentsplayground" bin in ${manifestPath}`);
  return resolve(dirname(manifestPath), entry);
}

/**
 * It prints "Listening on" before it loads its config file, and a bad file then ends it: it is
 * ready once its backend (mounted only with a valid config) answers.
 */
async function waitUntilServing(port: number, deadline: number, alive: () => boolean): Promise<boolean> {
  while (Date.now() < deadline && alive()) {
    // A refused or failed request means "not yet"; an exit is reported by the caller's race.
    const ok = await fetch(`http://127.0.0.1:${port}/_debug/ping`, { signal: AbortSignal.timeout(2_000) }).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return true;
    await sleep(100);
  }
  return false;
}

/** What the playground said at level "error" in this run, from its log file. */
function errorsLogged(logFile: string, from: number): string | undefined {
  let text: string;
  try {
    text = readFileSync(logFile).subarray(from).toString('utf8');
  } catch (error) {
    return `its log ${logFile} is unreadable (${error instanceof Error ? error.message : String(error)})`;
  }
  const errors = text
    .split(/\r?\n/)
    .filter((line) => line.startsWith('error '))
    .map((line) => cleanLine(line.slice('error '.length)));
  return errors.length > 0 ? errors.slice(0, 3).join(' ') : undefined;
}

/** The playground colours its output; a log line keeps only printable text. */
function cleanLine(raw: string): string {
  return raw.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '').replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 500);
}

/** Calls `onLine` per complete line, however the stream happens to chunk them. */
function lineReader(onLine: (line: string) => void): (chunk: Buffer) => void {
  let partial = '';
  return (chunk) => {
    const lines = (partial + chunk.toString('utf8')).split(/\r?\n/);
    partial = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms).unref());
}
