import type { ParsedAlert } from '../../bot/intake/alert.js';

/**
 * A Log Alerts V2 sign-in alert for bg1, as `parseAlert` would produce it; tests override what
 * their scenario varies. The sign-in's time follows `firedAt` unless `signIns` is given.
 */
export function parsedAlert(overrides: Partial<ParsedAlert> = {}): ParsedAlert {
  const firedAt = overrides.firedAt ?? '2025-03-01T11:58:00.000Z';
  return {
    alertId: 'alert-1',
    monitorCondition: 'Fired',
    firedAt,
    source: 'log-v2',
    monitoringService: 'Log Alerts V2',
    alertRule: 'Break-glass sign-in',
    severity: 'Sev1',
    subject: { kind: 'user', key: 'user:bg1@contoso.onmicrosoft.com', upn: 'bg1@contoso.onmicrosoft.com' },
    signIns: [{ time: firedAt, upn: 'bg1@contoso.onmicrosoft.com', ipAddress: '203.0.113.7', resultType: '0' }],
    links: { searchResults: 'https://portal.azure.com/#search-1', portal: 'https://portal.azure.com/#alert-1' },
    ...overrides,
  };
}
