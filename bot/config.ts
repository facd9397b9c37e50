import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { readConfigFile, type ConfigFile } from './config-file.js';
import type { EscalationPolicy } from './escalation/escalation-policy.js';
import { toEscalationPolicy } from './escalation/escalation-config.js';
import { validateTimeZone } from './drills/schedule.js';

export interface Responder {
  id: string;
  name?: string;
}

export interface DrillSettings {
  everyDays: number;
  timeZone: string;
  windowMinutes: number;
  remindBeforeDays: number;
}

export const DEFAULT_DRILL_SETTINGS: DrillSettings = { everyDays: 90, timeZone: 'UTC', windowMinutes: 60, remindBeforeDays: 7 };

export interface BotCredentials {
  appId: string;
  appPassword: string;
  appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  tenantId?: string;
}

export interface Config {
  mode: 'local' | 'production';
  port: number;
  host: string;
  dataDir: string;
  configFile?: string;
  bot?: BotCredentials;
  webhook: {
    token?: string;
    secureWebhook?: { audience: string; tenantId: string; authorityHost: string };
  };
  accounts: string[];
  responders: Responder[];
  /** Teams tenant ids whose activities are accepted outside local mode. */
  allowedTenants: string[];
  playground: boolean;
  escalation: EscalationPolicy;
  drills: DrillSettings;
  logLevel: string;
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] };

type Env = Record<string, string | undefined>;

const MIN_TOKEN_LENGTH = 24;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Environment (+ optional YAML file) → typed Config, or every problem at once, each naming its fix. */
export function loadConfig(env: Env, cwd: string): ConfigResult {
  const problems: string[] = [];
  const get = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };

  let file: ConfigFile = { accounts: [], responders: [], allowedTenants: [] };
  const explicitFile = get('GLASSWATCH_CONFIG');
  const filePath = explicitFile ? resolve(cwd, explicitFile) : resolve(cwd, 'glasswatch.yaml');
  const useFile = explicitFile !== undefined || existsSync(filePath);
  if (useFile) {
    const read = readConfigFile(filePath);
    if (read.ok) file = read.file;
    else problems.push(...read.problems);
  }

  const appId = get('MicrosoftAppId');
  const mode = appId ? 'production' : 'local';

  const port = parsePort(get('PORT'), problems);
  const host = get('HOST') ?? (mode === 'local' ? '127.0.0.1' : '0.0.0.0');
  if (mode === 'local' && !isLoopback(host)) {
    problems.push(
      `HOST=${host}: local mode (no MicrosoftAppId) only binds a loopback address, because it runs without authentication. Unset HOST or use 127.0.0.1, or configure the bot credentials.`,
    );
  }

  const bot = appId ? readBotCredentials(appId, get, problems) : undefined;

  const token = get('ALERT_WEBHOOK_TOKEN');
  if (token !== undefined && token.length < MIN_TOKEN_LENGTH) {
    problems.push(
      `ALERT_WEBHOOK_TOKEN is ${token.length} characters; use at least ${MIN_TOKEN_LENGTH} random characters (e.g. \`openssl rand -hex 32\`).`,
    );
  }
  const audience = get('ALERT_WEBHOOK_AUDIENCE');
  const webhookTenant = get('ALERT_WEBHOOK_TENANT_ID');
  if ((audience === undefined) !== (webhookTenant === undefined)) {
    problems.push(
      'ALERT_WEBHOOK_AUDIENCE and ALERT_WEBHOOK_TENANT_ID go together: set both (the secure webhook app registration\'s Application ID URI and its tenant id) or neither.',
    );
  }
  if (webhookTenant !== undefined && !GUID.test(webhookTenant)) {
    problems.push(
      `ALERT_WEBHOOK_TENANT_ID=${webhookTenant.slice(0, 60)}: use the tenant id (a GUID, Entra admin center → Overview → Tenant ID), not a domain name; it is checked against the token's issuer.`,
    );
  }
  const authorityHost = (get('AZURE_AUTHORITY_HOST') ?? 'https://login.microsoftonline.com').replace(/\/+$/, '');
  const secureWebhook = audience && webhookTenant ? { audience, tenantId: webhookTenant, authorityHost } : undefined;

  const accounts = unique([...file.accounts, ...splitList(get('GLASSWATCH_ACCOUNTS'))]);
  const responders = mergeResponders(file, splitList(get('GLASSWATCH_RESPONDERS')));
  const allowedTenants = unique([...file.allowedTenants, ...(bot?.tenantId ? [bot.tenantId] : [])]);

  if (mode === 'production') {
    if (!token && !secureWebhook) {
      problems.push(
        'Webhook authentication is missing: set ALERT_WEBHOOK_TOKEN (passed by the action group as ?token=) or ALERT_WEBHOOK_AUDIENCE and ALERT_WEBHOOK_TENANT_ID (Entra secure webhook). Outside local mode /api/alerts never runs open.',
      );
    }
    if (responders.length === 0) {
      problems.push(
        'No responders: set GLASSWATCH_RESPONDERS to the Entra object ids of the people allowed to act on incidents, or list them under responders: in the config file.',
      );
    }
    if (allowedTenants.length === 0) {
      problems.push(
        'No Teams tenant is allowed: set MicrosoftAppTenantId (the tenant the bot serves) or list allowedTenants: in the config file. The Bot Framework SDK does not check the tenant itself.',
      );
    }
  }

  const drills = file.drills ?? DEFAULT_DRILL_SETTINGS;
  const zone = validateTimeZone(drills.timeZone);
  if (!zone.ok) problems.push(`drills.timeZone: ${zone.message}`);

  const playgroundSetting = (get('GLASSWATCH_PLAYGROUND') ?? 'on').toLowerCase();
  if (!['on', 'off'].includes(playgroundSetting)) {
    problems.push(`GLASSWATCH_PLAYGROUND=${playgroundSetting}: use "on" or "off".`);
  }

  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    config: {
      mode,
      port,
      host,
      dataDir: resolve(cwd, get('GLASSWATCH_DATA_DIR') ?? 'data'),
      configFile: useFile ? filePath : undefined,
      bot,
      webhook: { token, secureWebhook },
      accounts,
      responders,
      allowedTenants,
      playground: mode === 'local' && playgroundSetting === 'on',
      escalation: toEscalationPolicy(file.escalation),
      drills,
      logLevel: get('LOG_LEVEL') ?? 'info',
    },
  };
}

function readBotCredentials(appId: string, get: (name: string) => string | undefined, problems: string[]): BotCredentials {
  const rawType = get('MicrosoftAppType') ?? 'SingleTenant';
  const appType = (['MultiTenant', 'SingleTenant', 'UserAssignedMSI'] as const).find((t) => t.toLowerCase() === rawType.toLowerCase());
  if (!appType) problems.push(`MicrosoftAppType=${rawType}: use SingleTenant, MultiTenant or UserAssignedMSI.`);
  const appPassword = get('MicrosoftAppPassword') ?? '';
  if (appType !== 'UserAssignedMSI' && !appPassword) {
    problems.push('MicrosoftAppPassword is missing: set it to the bot app registration\'s client secret (or use MicrosoftAppType=UserAssignedMSI).');
  }
  const tenantId = get('MicrosoftAppTenantId');
  if (appType !== 'MultiTenant' && !tenantId) {
    problems.push(`MicrosoftAppTenantId is missing: a ${appType ?? 'SingleTenant'} bot needs the tenant id of its app registration.`);
  }
  return { appId, appPassword, appType: appType ?? 'SingleTenant', tenantId };
}

function parsePort(raw: string | undefined, problems: string[]): number {
  if (raw === undefined) return 3978;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    problems.push(`PORT=${raw}: use a whole number from 0 to 65535 (0 picks a free port).`);
    return 3978;
  }
  return port;
}

function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

function splitList(raw: string | undefined): string[] {
  return (raw ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

/** UPNs, object ids and tenant ids compare case-insensitively; the first spelling met is kept. */
function unique(values: string[]): string[] {
  const byKey = new Map<string, string>();
  for (const value of values) if (!byKey.has(value.toLowerCase())) byKey.set(value.toLowerCase(), value);
  return [...byKey.values()];
}

function mergeResponders(file: ConfigFile, fromEnv: string[]): Responder[] {
  const byId = new Map<string, Responder>();
  for (const entry of [...file.responders, ...fromEnv]) {
    const responder: Responder = typeof entry === 'string' ? { id: entry } : entry;
    const key = responder.id.toLowerCase();
    if (!byId.has(key)) byId.set(key, responder);
  }
  return [...byId.values()];
}
