import { z } from 'zod';
import { DEFAULT_ESCALATION_POLICY, type EscalationPolicy, type EscalationTarget } from './escalation-policy.js';

const MINUTE = 60_000;
const minutes = z.number().positive().max(7 * 24 * 60);

const webhookSchema = z
  .object({
    name: z.string().trim().min(1).max(60).optional(),
    url: z
      .string()
      .url()
      .refine((u) => /^https:\/\//i.test(u) || /^http:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?\//i.test(u), {
        message: 'use an https:// URL (plain http is accepted only on loopback, for tests)',
      }),
    format: z.enum(['generic', 'pagerduty']).default('generic'),
    routingKey: z.string().trim().min(1).optional(),
  })
  .strict()
  .refine((w) => w.format !== 'pagerduty' || w.routingKey !== undefined, {
    message: 'a pagerduty webhook needs routingKey (the integration key of a PagerDuty Events API v2 service)',
  });

const levelSchema = z
  .object({
    afterMinutes: minutes,
    /** Entra object ids to @mention in the incident's thread; `all` (the default) = every responder. */
    mention: z.union([z.literal('all'), z.literal('none'), z.array(z.string().trim().min(1))]).default('all'),
    channel: z.string().trim().regex(/^19:.+@thread\./, 'a Teams channel id looks like 19:…@thread.tacv2').optional(),
    webhooks: z.array(webhookSchema).default([]),
  })
  .strict();

/** The `escalation:` section of glasswatch.yaml. */
export const escalationSchema = z
  .object({
    levels: z.array(levelSchema).max(10).optional(),
    repeat: z.number().int().min(0).max(20).optional(),
    repeatEveryMinutes: minutes.optional(),
    reminderAfterMinutes: z.union([minutes, z.literal(0)]).optional(),
  })
  .strict();

export type EscalationConfig = z.infer<typeof escalationSchema>;

export function toEscalationPolicy(config: EscalationConfig | undefined): EscalationPolicy {
  if (!config) return DEFAULT_ESCALATION_POLICY;
  return {
    levels:
      config.levels?.map((level) => ({
        afterMs: level.afterMinutes * MINUTE,
        notify: targetsOf(level),
      })) ?? DEFAULT_ESCALATION_POLICY.levels,
    repeat: config.repeat ?? DEFAULT_ESCALATION_POLICY.repeat,
    repeatEveryMs: config.repeatEveryMinutes !== undefined ? config.repeatEveryMinutes * MINUTE : DEFAULT_ESCALATION_POLICY.repeatEveryMs,
    reminderAfterMs:
      config.reminderAfterMinutes !== undefined ? config.reminderAfterMinutes * MINUTE : DEFAULT_ESCALATION_POLICY.reminderAfterMs,
  };
}

function targetsOf(level: z.infer<typeof levelSchema>): EscalationTarget[] {
  const targets: EscalationTarget[] = [];
  if (level.mention !== 'none') targets.push({ kind: 'mention', responderIds: level.mention === 'all' ? [] : level.mention });
  if (level.channel) targets.push({ kind: 'channel', channelId: level.channel });
  level.webhooks.forEach((w, i) => {
    targets.push({ kind: 'webhook', name: w.name ?? `webhook ${i + 1}`, url: w.url, format: w.format, routingKey: w.routingKey });
  });
  return targets;
}
