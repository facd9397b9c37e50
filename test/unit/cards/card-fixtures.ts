import type { SignInDetails } from '../../../bot/intake/alert.js';
import type { AlertCardModel } from '../../../cards/alert-card.js';
import type { AdaptiveCard } from '../../../cards/adaptive-card.js';

export const signIn = (overrides: Partial<SignInDetails> = {}): SignInDetails => ({
  time: '2026-11-22T14:02:51.1234567Z',
  upn: 'bg1@contoso.onmicrosoft.com',
  userId: '3f0c2b7e-6d1a-4c51-9f3e-2a8b7c6d5e4f',
  ipAddress: '203.0.113.45',
  location: 'Amsterdam, Noord-Holland, NL',
  app: 'Azure Portal',
  resultType: '0',
  ...overrides,
});

export const triggeredModel = (overrides: Partial<AlertCardModel> = {}): AlertCardModel => ({
  incidentId: 'inc-7f3a',
  version: 3,
  state: 'triggered',
  subject: { kind: 'user', key: 'user:bg1@contoso.onmicrosoft.com', upn: 'bg1@contoso.onmicrosoft.com' },
  headline: 'Break-glass sign-in: bg1@contoso.onmicrosoft.com',
  severity: 'Sev0',
  ruleName: 'Break-glass sign-in',
  firedAt: '2026-11-22T14:03:10Z',
  occurrences: 1,
  firstSeen: '2026-11-22T14:03:10Z',
  lastSeen: '2026-11-22T14:03:10Z',
  latest: signIn(),
  recentSignIns: [signIn()],
  links: {
    searchResults: 'https://api.loganalytics.io/v1/workspaces/1111/query?query=SigninLogs&timespan=PT5M',
    portal: 'https://portal.azure.com/#blade/Microsoft_Azure_Monitoring_Logs/LogsBlade',
  },
  actionsAvailable: true,
  ...overrides,
});

export const twoSignIns = [
  signIn(),
  signIn({
    time: '2026-11-22T13:58:02Z',
    ipAddress: '198.51.100.7',
    location: 'Lagos, NG',
    resultType: '50126',
    resultDescription: 'Invalid username or password.',
  }),
];

/** Every object in the card with `type` equal to the given one, however deeply nested. */
export function findAll(node: unknown, type: string): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(visit);
    } else if (typeof value === 'object' && value !== null) {
      const record = value as Record<string, unknown>;
      if (record['type'] === type) found.push(record);
      Object.values(record).forEach(visit);
    }
  };
  visit(node);
  return found;
}

/** Every string a viewer reads as markdown: TextBlock texts and FactSet values. */
export function renderedTexts(card: AdaptiveCard): string[] {
  const texts = findAll(card, 'TextBlock').map((block) => String(block['text']));
  const facts = findAll(card, 'FactSet').flatMap((set) =>
    (set['facts'] as { title: string; value: string }[]).map((fact) => fact.value),
  );
  return [...texts, ...facts];
}
