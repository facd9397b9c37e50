import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { escalationSchema } from './escalation/escalation-config.js';

/**
 * The YAML configuration file (GLASSWATCH_CONFIG). Strict: an unknown key is an error, because a
 * typo in a security tool's configuration ("responder:" for "responders:") must not pass silently.
 */
const responderSchema = z.union([
  z.string().trim().min(1),
  z.object({ id: z.string().trim().min(1), name: z.string().trim().optional() }).strict(),
]);

export const configFileSchema = z
  .object({
    accounts: z.array(z.string().trim().min(1)).default([]),
    responders: z.array(responderSchema).default([]),
    /** Teams tenants whose users may talk to the bot, beyond MicrosoftAppTenantId. */
    allowedTenants: z.array(z.string().trim().min(1)).default([]),
    escalation: escalationSchema.optional(),
    drills: z
      .object({
        /** Validate each account at least this often (Microsoft: every 90 days). */
        everyDays: z.number().int().min(1).max(365).default(90),
        /** IANA zone the due dates and reminders are read in, e.g. Europe/Lisbon. */
        timeZone: z.string().trim().min(1).default('UTC'),
        /** How long after `drill start` an alert for the account counts as the drill's. */
        windowMinutes: z.number().int().min(5).max(24 * 60).default(60),
        remindBeforeDays: z.number().int().min(0).max(60).default(7),
      })
      .strict()
      .optional(),
  })
  .strict();

export type ConfigFile = z.infer<typeof configFileSchema>;

export type ConfigFileResult = { ok: true; file: ConfigFile } | { ok: false; problems: string[] };

export function readConfigFile(path: string): ConfigFileResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error && 'code' in error ? String(error.code) : 'unreadable';
    return { ok: false, problems: [`GLASSWATCH_CONFIG: cannot read ${path} (${reason}). Fix the path or unset GLASSWATCH_CONFIG.`] };
  }
  let raw: unknown;
  try {
    raw = parseYaml(text) ?? {};
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : 'invalid YAML';
    return { ok: false, problems: [`${path}: not valid YAML (${reason}). Fix the syntax.`] };
  }
  const parsed = configFileSchema.safeParse(raw);
  if (parsed.success) return { ok: true, file: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.map((issue) => {
      const where = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
      return `${path}: ${where}: ${issue.message}. Allowed top-level keys: accounts, responders, allowedTenants, escalation, drills.`;
    }),
  };
}
