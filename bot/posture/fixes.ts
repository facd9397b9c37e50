import type { CheckId, Finding, FindingStatus } from './finding.js';

/** The fix for each check's failure, in one sentence; a check may say something more specific. */
export const FIXES: Readonly<Record<CheckId, string>> = {
  'BG-01':
    'List at least two emergency access accounts in GLASSWATCH_ACCOUNTS or under accounts: in the config file, each as a UPN or object id that exists in the tenant.',
  'BG-02': 'Replace the account with a cloud-only account (created in Entra ID, not synchronised from on-premises AD), so an on-premises compromise or outage cannot take it.',
  'BG-03': "Rename the account onto the tenant's initial *.onmicrosoft.com domain, so it does not depend on a custom domain or federation.",
  'BG-04': 'Enable the account (Entra admin center → Users → the account → Edit properties → Account enabled), and find out who disabled it.',
  'BG-05':
    'Assign Global Administrator to the account directly, as an active and permanent assignment (in PIM: Assign → Active → Permanently assigned), not eligible, not time-bound and not through a group.',
  'BG-06': 'Register two device-bound FIDO2 security keys on the account and store them apart, in separate secured locations.',
  'BG-07': "Remove every authentication method tied to a person's phone, mailbox or app, so the account does not depend on one individual.",
  'BG-08':
    'Exclude the account from the named policies (preferably through a dedicated emergency access group), or change their grant to phishing-resistant MFA that the account satisfies.',
  'BG-09':
    'Set the password to never expire (Update-MgUser -PasswordPolicies DisablePasswordExpiration) and rotate it after every use of the account.',
  'BG-10': 'Run a drill: /breakglass drill start <upn>, sign in with the account, and complete the checklist; repeat at least every 90 days.',
  'BG-11':
    'Check the sign-in alert rule and its action group (webhook URL and token), then run glasswatch simulate signin or a drill to prove the path end to end.',
  'BG-12':
    'Find out who used the account and why; record it by resolving the incident or in a drill, and if nobody can account for it, treat the account as compromised and rotate its credentials.',
};

/** The fix for an `unknown` that a missing permission or licence causes. */
export function permissionFix(permission: string): string {
  return `Grant Glasswatch's tenant reader ${permission} (application permission, admin consent) and run the check again.`;
}

/** A finding; the fix is dropped when passing, as the contract says. */
export function finding(id: CheckId, account: string, status: FindingStatus, evidence: string, fix: string): Finding {
  return { id, account, status, evidence, fix: status === 'pass' ? '' : fix };
}
