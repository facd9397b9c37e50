import type { CheckId, Finding, FindingStatus } from './finding.js';

/** One line per account: fail if anything failed, else warn, else unknown, else pass. */
export function verdict(findings: readonly Finding[]): FindingStatus {
  const statuses = new Set(findings.map((finding) => finding.status));
  if (statuses.has('fail')) return 'fail';
  if (statuses.has('warn')) return 'warn';
  if (statuses.has('unknown')) return 'unknown';
  return 'pass';
}

export interface AccountVerdictLine {
  /** A UPN, the configured value of an account that does not resolve, or "*" for the tenant. */
  account: string;
  status: FindingStatus;
  failed: CheckId[];
  warned: CheckId[];
  unknown: CheckId[];
}

/** The verdict of each account (and of the tenant, "*"), in the order the findings name them. */
export function verdictsByAccount(findings: readonly Finding[]): AccountVerdictLine[] {
  const accounts = [...new Set(findings.map((finding) => finding.account))];
  return accounts.map((account) => {
    const mine = findings.filter((finding) => finding.account === account);
    const ids = (status: FindingStatus) => mine.filter((finding) => finding.status === status).map((finding) => finding.id);
    return { account, status: verdict(mine), failed: ids('fail'), warned: ids('warn'), unknown: ids('unknown') };
  });
}
