import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readSync, statSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface ServerChild {
  url: string;
  pid: number;
  child: ChildProcess;
  /** The last 64 KB the process wrote (pipe mode) or the log file's tail (file mode). */
  tail: () => string;
  exited: Promise<number | null>;
  /** Sends the signal (once) and waits for the exit. */
  kill: (signal?: NodeJS.Signals) => Promise<number | null>;
}

export interface ServerChildOptions {
  /** TypeScript entry, relative to the repository root (run through tsx). */
  script: string;
  env: Record<string, string>;
  /**
   * 'pipe' keeps a tail in this process; a file path sends the output there so a chatty server
   * costs this process (the load generator) nothing.
   */
  output: 'pipe' | { file: string };
  timeoutMs?: number;
}

const TAIL_BYTES = 64 * 1024;
const READY = /"url":"(http:\/\/[^"]+)"[^\n]*"msg":"(glasswatch|bare restify) listening"/;

/** Starts a server as a child process and waits for its "listening" log line. */
export async function startServerChild(options: ServerChildOptions): Promise<ServerChild> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const logFd = options.output === 'pipe' ? undefined : openSync(options.output.file, 'a');
  // A restart appends to the same file: only what this process writes counts.
  const fileStart = options.output === 'pipe' ? 0 : statSync(options.output.file).size;
  const child = spawn(process.execPath, ['--import', 'tsx', options.script], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '0', ...options.env },
    stdio: ['ignore', logFd ?? 'pipe', logFd ?? 'pipe'],
  });
  if (logFd !== undefined) closeSync(logFd);
  let buffered = '';
  const keep = (chunk: Buffer) => {
    buffered = (buffered + chunk.toString('utf8')).slice(-TAIL_BYTES);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const output = options.output;
  const tail = () => (output === 'pipe' ? buffered : readTail(output.file, fileStart));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let exitedEarly = false;
  void exited.then(() => {
    exitedEarly = true;
  });

  const started = performance.now();
  let url: string | undefined;
  while (url === undefined) {
    if (exitedEarly) throw new Error(`${options.script} exited before listening:\n${tail()}`);
    if (performance.now() - started > timeoutMs) {
      child.kill('SIGKILL');
      throw new Error(`${options.script} did not listen within ${timeoutMs} ms:\n${tail()}`);
    }
    url = READY.exec(tail())?.[1];
    if (url === undefined) await new Promise((resolve) => setTimeout(resolve, 25));
  }
  const { pid } = child;
  if (pid === undefined) throw new Error(`${options.script} has no pid`);
  return {
    url,
    pid,
    child,
    tail,
    exited,
    kill: async (signal: NodeJS.Signals = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** The last TAIL_BYTES of a file from `from` on, without reading a large log whole. */
function readTail(file: string, from: number): string {
  if (!existsSync(file)) return '';
  const size = statSync(file).size;
  const start = Math.max(from, size - TAIL_BYTES);
  if (size <= start) return '';
  const buffer = Buffer.alloc(size - start);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buffer, 0, buffer.length, start);
  } finally {
    closeSync(fd);
  }
  return buffer.toString('utf8');
}
