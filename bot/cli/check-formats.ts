import type { Finding, FindingStatus } from '../posture/finding.js';
import { verdictsByAccount } from '../posture/verdict.js';

/** What `check` evaluated: the input of every output format. */
export interface CheckReport {
  tenantId: string;
  evaluatedAt: string;
  findings: Finding[];
}

/** The public JSON contract: exactly these keys, in this order. */
export function renderJson(report: CheckReport): string {
  const body = {
    tenantId: report.tenantId,
    evaluatedAt: report.evaluatedAt,
    findings: report.findings.map(({ id, account, status, evidence, fix }) => ({ id, account, status, evidence, fix })),
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}

/** JUnit XML: one suite, a test case per finding; fail → failure, unknown → skipped, warn → passing with output. */
export function renderJunit(report: CheckReport): string {
  const count = (status: FindingStatus) => report.findings.filter((finding) => finding.status === status).length;
  const cases = report.findings.map((finding) => {
    const open = `  <testcase classname="${xml(finding.account)}" name="${xml(finding.id)}">`;
    switch (finding.status) {
      case 'fail':
        return `${open}\n    <failure message="${xml(finding.evidence)}" type="fail">${xml(`${finding.evidence}\nFix: ${finding.fix}`)}</failure>\n  </testcase>`;
      case 'unknown':
        return `${open}\n    <skipped message="${xml(finding.evidence)}"/>\n    <system-out>${xml(`unknown: ${finding.evidence}\nFix: ${finding.fix}`)}</system-out>\n  </testcase>`;
      case 'warn':
        return `${open}\n    <system-out>${xml(`warn: ${finding.evidence}\nFix: ${finding.fix}`)}</system-out>\n  </testcase>`;
      case 'pass':
        return `${open}\n    <system-out>${xml(`pass: ${finding.evidence}`)}</system-out>\n  </testcase>`;
    }
  });
  const suite =
    `<testsuite name="glasswatch" tests="${report.findings.length}" failures="${count('fail')}" errors="0" skipped="${count('unknown')}"` +
    ` timestamp="${xml(report.evaluatedAt.replace(/\.\d+Z$/, ''))}">`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    suite,
    '  <properties>',
    `    <property name="tenantId" value="${xml(report.tenantId)}"/>`,
    '  </properties>',
    ...cases,
    '</testsuite>',
    '',
  ].join('\n');
}

// Characters XML 1.0 cannot carry at all, even escaped.
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

function xml(text: string): string {
  return text
    .replace(NOT_XML, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
}

// Tenant data goes to a terminal: no escape sequences, no line breaks, no reversed text.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const clean = (text: string): string => text.replace(UNSAFE, ' ');

/** A table for people: aligned columns, the fix under each finding that needs one, a verdict per account and a summary. */
export function renderTable(report: CheckReport): string {
  const rows = report.findings.map((finding) => ({
    id: finding.id,
    account: clean(finding.account),
    status: finding.status.toUpperCase(),
    evidence: clean(finding.evidence),
    fix: clean(finding.fix),
  }));
  const header = { id: 'ID', account: 'ACCOUNT', status: 'STATUS', evidence: 'EVIDENCE', fix: '' };
  const width = (key: 'id' | 'account' | 'status') => Math.max(...[header, ...rows].map((row) => row[key].length));
  const [idWidth, accountWidth, statusWidth] = [width('id'), width('account'), width('status')];
  const indent = ' '.repeat(idWidth + accountWidth + statusWidth + 6);
  const line = (row: typeof header) => `${row.id.padEnd(idWidth)}  ${row.account.padEnd(accountWidth)}  ${row.status.padEnd(statusWidth)}  ${row.evidence}`;
  const body = rows.flatMap((row) => (row.fix ? [line(row), `${indent}fix: ${row.fix}`] : [line(row)]));
  const verdicts = verdictsByAccount(report.findings).map((v) => `${v.status.toUpperCase().padEnd(7)}  ${clean(v.account === '*' ? 'tenant-wide checks' : v.account)}`);
  const count = (status: FindingStatus) => report.findings.filter((finding) => finding.status === status).length;
  const summary = `${report.findings.length} findings for tenant ${clean(report.tenantId)} at ${report.evaluatedAt}: ${count('pass')} pass, ${count('fail')} fail, ${count('warn')} warn, ${count('unknown')} unknown.`;
  return [line(header), ...body, '', ...verdicts, '', summary, ''].join('\n');
}
