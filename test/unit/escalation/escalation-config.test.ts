import { describe, expect, it } from 'vitest';
import { escalationSchema, toEscalationPolicy } from '../../../bot/escalation/escalation-config.js';
import { DEFAULT_ESCALATION_POLICY, type EscalationPolicy } from '../../../bot/escalation/escalation-policy.js';

const MINUTE = 60_000;

/** The `escalation:` section as the YAML parser hands it over, validated and turned into a policy. */
function policyOf(section: unknown): EscalationPolicy {
  const parsed = escalationSchema.safeParse(section);
  if (!parsed.success) throw new Error(`refused: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return toEscalationPolicy(parsed.data);
}

/** The messages of a refused section (fails the test if it was accepted). */
function problemsOf(section: unknown): string[] {
  const parsed = escalationSchema.safeParse(section);
  if (parsed.success) throw new Error(`accepted: ${JSON.stringify(parsed.data)}`);
  return parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

function webhookSection(webhook: Record<string, unknown>): unknown {
  return { levels: [{ afterMinutes: 5, webhooks: [webhook] }] };
}

describe('escalation defaults', () => {
  it('uses the default policy when the section is absent', () => {
    expect(toEscalationPolicy(undefined)).toEqual(DEFAULT_ESCALATION_POLICY);
  });

  it('uses every default when the section is empty', () => {
    expect(policyOf({})).toEqual(DEFAULT_ESCALATION_POLICY);
  });

  it('keeps the defaults for the fields a partial section leaves out', () => {
    const policy = policyOf({ repeat: 0 });

    expect(policy.repeat).toBe(0);
    expect(policy.levels).toEqual(DEFAULT_ESCALATION_POLICY.levels);
    expect(policy.repeatEveryMs).toBe(DEFAULT_ESCALATION_POLICY.repeatEveryMs);
    expect(policy.reminderAfterMs).toBe(DEFAULT_ESCALATION_POLICY.reminderAfterMs);
  });

  it('takes an explicitly empty level list as no escalation levels, not the defaults', () => {
    expect(policyOf({ levels: [] }).levels).toEqual([]);
  });
});

describe('escalation minutes', () => {
  it('turns every minute count into milliseconds', () => {
    const policy = policyOf({
      levels: [{ afterMinutes: 3 }, { afterMinutes: 0.5 }],
      repeat: 4,
      repeatEveryMinutes: 20,
      reminderAfterMinutes: 90,
    });

    expect(policy.levels.map((level) => level.afterMs)).toEqual([3 * MINUTE, 30_000]);
    expect(policy).toMatchObject({ repeat: 4, repeatEveryMs: 20 * MINUTE, reminderAfterMs: 90 * MINUTE });
  });

  it('accepts reminderAfterMinutes: 0 as reminders switched off', () => {
    expect(policyOf({ reminderAfterMinutes: 0 }).reminderAfterMs).toBe(0);
  });

  it('refuses a wait of zero, a negative wait and one over a week', () => {
    expect(problemsOf({ levels: [{ afterMinutes: 0 }] })[0]).toMatch(/^levels\.0\.afterMinutes: /);
    expect(problemsOf({ repeatEveryMinutes: -5 })[0]).toMatch(/^repeatEveryMinutes: /);
    expect(problemsOf({ reminderAfterMinutes: 7 * 24 * 60 + 1 })).not.toEqual([]);
    expect(policyOf({ reminderAfterMinutes: 7 * 24 * 60 }).reminderAfterMs).toBe(7 * 24 * 60 * MINUTE);
  });
});

describe('escalation mentions', () => {
  it('mentions every responder by default and with mention: all', () => {
    expect(policyOf({ levels: [{ afterMinutes: 5 }] }).levels[0]?.notify).toEqual([{ kind: 'mention', responderIds: [] }]);
    expect(policyOf({ levels: [{ afterMinutes: 5, mention: 'all' }] }).levels[0]?.notify).toEqual([{ kind: 'mention', responderIds: [] }]);
  });

  it('mentions nobody with mention: none', () => {
    expect(policyOf({ levels: [{ afterMinutes: 5, mention: 'none' }] }).levels[0]?.notify).toEqual([]);
  });

  it('mentions the listed responders, trimmed', () => {
    const policy = policyOf({ levels: [{ afterMinutes: 5, mention: [' aad-ada ', 'aad-bob'] }] });

    expect(policy.levels[0]?.notify).toEqual([{ kind: 'mention', responderIds: ['aad-ada', 'aad-bob'] }]);
  });

  it('refuses another word or an empty id', () => {
    expect(problemsOf({ levels: [{ afterMinutes: 5, mention: 'everyone' }] })).not.toEqual([]);
    expect(problemsOf({ levels: [{ afterMinutes: 5, mention: ['  '] }] })).not.toEqual([]);
  });
});

describe('escalation channels', () => {
  it('accepts a Teams channel id and adds a channel notice after the mention', () => {
    const policy = policyOf({ levels: [{ afterMinutes: 5, channel: '19:soc-room@thread.tacv2' }] });

    expect(policy.levels[0]?.notify).toEqual([
      { kind: 'mention', responderIds: [] },
      { kind: 'channel', channelId: '19:soc-room@thread.tacv2' },
    ]);
  });

  it.each(['SOC', 'https://teams.microsoft.com/l/channel/19%3Asoc%40thread.tacv2/SOC', 'soc@thread.tacv2', '19:soc'])(
    'refuses %s as a channel id and says what one looks like',
    (channel) => {
      expect(problemsOf({ levels: [{ afterMinutes: 5, channel }] })).toEqual([expect.stringContaining('19:…@thread.tacv2')]);
    },
  );
});

describe('escalation webhooks', () => {
  it('makes a generic webhook by default, named after its position', () => {
    const policy = policyOf({
      levels: [{ afterMinutes: 5, mention: 'none', webhooks: [{ url: 'https://hooks.example/a' }, { name: 'SOC', url: 'https://hooks.example/b' }] }],
    });

    expect(policy.levels[0]?.notify).toEqual([
      { kind: 'webhook', name: 'webhook 1', url: 'https://hooks.example/a', format: 'generic', routingKey: undefined },
      { kind: 'webhook', name: 'SOC', url: 'https://hooks.example/b', format: 'generic', routingKey: undefined },
    ]);
  });

  it('accepts a PagerDuty webhook with its routing key', () => {
    const policy = policyOf(webhookSection({ url: 'https://events.pagerduty.com/v2/enqueue', format: 'pagerduty', routingKey: 'R0UT1NG' }));

    expect(policy.levels[0]?.notify[1]).toMatchObject({ kind: 'webhook', format: 'pagerduty', routingKey: 'R0UT1NG' });
  });

  it('refuses a PagerDuty webhook without a routing key, naming the field', () => {
    const problems = problemsOf(webhookSection({ url: 'https://events.pagerduty.com/v2/enqueue', format: 'pagerduty' }));

    expect(problems).toEqual([expect.stringContaining('routingKey')]);
    expect(problemsOf(webhookSection({ url: 'https://events.pagerduty.com/v2/enqueue', format: 'pagerduty', routingKey: '   ' }))).not.toEqual([]);
  });

  it.each(['http://hooks.example/glasswatch', 'http://10.0.0.7/hook', 'http://localhost.evil.example/', 'http://127.0.0.1.nip.io/', 'http://localhost@evil.example/', 'ftp://hooks.example/'])(
    'refuses %s: only https, or plain http on loopback',
    (url) => {
      expect(problemsOf(webhookSection({ url })).join('\n')).toMatch(/https:\/\/|url/i);
    },
  );

  it.each(['https://hooks.example/glasswatch', 'http://127.0.0.1:8080/hook', 'http://localhost/hook', 'http://[::1]:9000/hook', 'HTTP://LOCALHOST:3978/'])(
    'accepts %s',
    (url) => {
      expect(policyOf(webhookSection({ url })).levels[0]?.notify[1]).toMatchObject({ kind: 'webhook', url });
    },
  );
});

describe('escalation unknown keys', () => {
  it('refuses an unknown key at the top, in a level and in a webhook, naming where', () => {
    expect(problemsOf({ escalateAfterMinutes: 5 })).toEqual([expect.stringContaining('escalateAfterMinutes')]);
    expect(problemsOf({ levels: [{ afterMinutes: 5, mentions: 'all' }] })).toEqual([expect.stringMatching(/^levels\.0: .*mentions/)]);
    expect(problemsOf(webhookSection({ url: 'https://hooks.example/a', headers: { authorization: 'x' } }))).toEqual([
      expect.stringMatching(/^levels\.0\.webhooks\.0: .*headers/),
    ]);
  });

  it('refuses more than ten levels and a fractional repeat count', () => {
    expect(problemsOf({ levels: Array.from({ length: 11 }, () => ({ afterMinutes: 5 })) })).not.toEqual([]);
    expect(problemsOf({ repeat: 1.5 })).not.toEqual([]);
  });
});
