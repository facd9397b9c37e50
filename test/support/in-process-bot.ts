import { pino } from 'pino';
import { DEFAULT_DRILL_SETTINGS, type Config } from '../../bot/config.js';
import { DEFAULT_ESCALATION_POLICY } from '../../bot/escalation/escalation-policy.js';
import { startGlasswatch, type GlasswatchOptions, type RunningGlasswatch } from '../../bot/glasswatch.js';
import { tempDir } from './temp-dir.js';

/** A local-mode Config on a random loopback port and a fresh data folder, with overrides. */
export function localConfig(overrides: Partial<Config> = {}): Config {
  return {
    mode: 'local',
    port: 0,
    host: '127.0.0.1',
    dataDir: tempDir().path,
    webhook: {},
    accounts: [],
    responders: [],
    allowedTenants: [],
    playground: false,
    escalation: DEFAULT_ESCALATION_POLICY,
    drills: DEFAULT_DRILL_SETTINGS,
    logLevel: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...overrides,
  };
}

export async function startInProcessBot(overrides: Partial<Config> = {}, options: Omit<GlasswatchOptions, 'logger'> = {}): Promise<RunningGlasswatch> {
  const config = localConfig(overrides);
  return startGlasswatch(config, { logger: pino({ level: config.logLevel }), ...options });
}
