import { join } from 'node:path';
import { startServerChild, type ServerChild } from './server-child.js';

/** The webhook secret every benchmark alert carries as `?token=` (authenticated intake, as in production). */
export const BENCH_TOKEN = 'bench-token-0123456789abcdef0123456789';

export interface BotChildOptions {
  dataDir: string;
  /** Production default is info: every request and commit writes a log line. */
  logLevel?: string;
  /** 'pipe' (kept as a tail here) or a file in the data folder (costs this process nothing). */
  output?: 'pipe' | 'file';
}

/** The real bot (`bot/main.ts`) in local mode as a child process, with token-authenticated intake. */
export function startBotChild(options: BotChildOptions): Promise<ServerChild> {
  return startServerChild({
    script: 'bot/main.ts',
    env: {
      GLASSWATCH_DATA_DIR: options.dataDir,
      GLASSWATCH_PLAYGROUND: 'off',
      ALERT_WEBHOOK_TOKEN: BENCH_TOKEN,
      LOG_LEVEL: options.logLevel ?? 'info',
    },
    output: options.output === 'pipe' ? 'pipe' : { file: join(options.dataDir, 'bot.log') },
  });
}

export function startBareRestify(logFile: string): Promise<ServerChild> {
  return startServerChild({ script: 'bench/lib/bare-restify.ts', env: {}, output: { file: logFile } });
}

/** The alert webhook URL with the token, as an action group would call it. */
export function alertsUrl(baseUrl: string): URL {
  const url = new URL('/api/alerts', baseUrl);
  url.searchParams.set('token', BENCH_TOKEN);
  return url;
}
