import { join } from 'node:path';
import { config as loadDotenv } from 'dotenv';
import { pino } from 'pino';
import { loadConfig } from './config.js';
import { startGlasswatch } from './glasswatch.js';
import { LOG_REDACT_PATHS } from './log-redaction.js';
import { startPlaygroundOrWarn } from './playground.js';
import { tenantReaders } from './tenant/tenant-readers.js';

/** Composition root: environment → config → running bot, and the signals that stop it. */
async function main(): Promise<void> {
  loadDotenv({ quiet: true });
  const result = loadConfig(process.env, process.cwd());
  if (!result.ok) {
    process.stderr.write(`Glasswatch cannot start:\n${result.problems.map((p) => `  - ${p}`).join('\n')}\n`);
    process.exit(2);
  }
  const { config } = result;
  const logger = pino({ level: config.logLevel, redact: { paths: LOG_REDACT_PATHS, censor: '[redacted]' } });
  const running = await startGlasswatch(config, { logger, ...tenantReaders(config, logger) });

  logger.info({ url: running.url, mode: config.mode, dataDir: config.dataDir }, 'glasswatch listening');
  const playground = config.playground
    ? await startPlaygroundOrWarn({ botUrl: running.url, logger, logFile: join(config.dataDir, 'playground.log') })
    : undefined;
  if (config.mode === 'local') {
    process.stderr.write(
      [
        '',
        `Glasswatch is running in local mode on ${running.url} (loopback only, no authentication, data in ${config.dataDir}).`,
        playground
          ? `  Playground:    open ${playground.url} to chat with the bot; type \`bind\` in the Emergency Access Alerts channel, then \`npx glasswatch simulate signin\``
          : `  Teams client:  point the Microsoft 365 Agents Playground or the Bot Framework Emulator at ${running.url}/api/messages`,
        `  Alerts:        POST Azure Monitor common-schema alerts to ${running.url}/api/alerts`,
        `  Health:        ${running.url}/readyz and ${running.url}/metrics`,
        '',
      ].join('\n'),
    );
  }

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: intake closed, draining deliveries');
    running
      .shutdown()
      // After the bot: draining deliveries still post to the playground's connector.
      .finally(() => playground?.stop())
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`Glasswatch failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
