import { signInAlert } from '../../test/support/alerts.js';

const ALERT_ID = '__BENCH_ALERT_ID__';
const UPN = '__BENCH_UPN__';
const FIRED_AT = '2099-01-01T00:00:00Z';

/** The fixture's V2 sign-in alert, rendered once; each body is then two string splices, not a JSON round trip. */
const TEMPLATE = signInAlert({ alertId: ALERT_ID, upn: UPN, firedAt: FIRED_AT });

export interface AlertSpec {
  alertId: string;
  upn: string;
  /** ISO UTC; defaults to now, so the card shows a plausible time. */
  firedAt?: string;
  /** Sign-in result: "0" success, "50126" bad password (a brute-force storm). */
  resultType?: string;
}

export function alertBody(spec: AlertSpec): string {
  const body = TEMPLATE.replace(ALERT_ID, spec.alertId)
    .replace(UPN, spec.upn)
    .replace(FIRED_AT, spec.firedAt ?? new Date().toISOString());
  return spec.resultType === undefined ? body : body.replace('"name":"ResultType","value":"0"', `"name":"ResultType","value":${JSON.stringify(spec.resultType)}`);
}

/** One of `accounts` break-glass-style UPNs, e.g. bg-admin-007@contoso.onmicrosoft.com. */
export function accountUpn(index: number, prefix = 'bg-admin'): string {
  return `${prefix}-${String(index).padStart(3, '0')}@contoso.onmicrosoft.com`;
}

/** Unique per process start, so two runs against one data folder never share alert ids. */
export function runTag(): string {
  return `${Date.now().toString(36)}-${process.pid}`;
}
