import { adaptiveCard, type AdaptiveCard, type AdaptiveElement, type Container } from './adaptive-card.js';
import { safeText } from './format.js';

export interface ResponseStepsCardModel {
  incidentId: string;
  /** The account as a responder names it, e.g. "bg1@contoso.onmicrosoft.com (object id 3f0c…)". */
  account: string;
  resolvedBy: string;
}

/**
 * Microsoft Learn pages behind the steps. Each address was found in Microsoft's own docs
 * (tracking query parameters removed); keep this list to pages that exist, https only.
 */
export const GUIDANCE = {
  emergencyAccess: {
    title: 'Manage emergency access accounts in Microsoft Entra ID',
    url: 'https://learn.microsoft.com/en-us/entra/identity/role-based-access-control/security-emergency-access',
  },
  revokeAccess: {
    title: 'Revoke user access in Microsoft Entra ID',
    url: 'https://learn.microsoft.com/en-us/entra/identity/users/users-revoke-access',
  },
  revokeSignInSessions: {
    title: 'user: revokeSignInSessions (Microsoft Graph)',
    url: 'https://learn.microsoft.com/graph/api/user-revokesigninsessions',
  },
  privilegedAccountsOperations: {
    title: 'Security operations for privileged accounts',
    url: 'https://learn.microsoft.com/en-us/entra/architecture/security-operations-privileged-accounts',
  },
  signInLogs: {
    title: 'What are Microsoft Entra sign-in logs?',
    url: 'https://learn.microsoft.com/en-gb/entra/identity/monitoring-health/concept-sign-ins',
  },
  conditionalAccess: {
    title: 'Plan a Conditional Access deployment',
    url: 'https://learn.microsoft.com/en-us/entra/identity/conditional-access/plan-conditional-access',
  },
  diagnosticSettings: {
    title: 'Configure Microsoft Entra diagnostic settings',
    url: 'https://docs.microsoft.com/en-us/entra/identity/monitoring-health/howto-configure-diagnostic-settings',
  },
  incidentResponsePlaybooks: {
    title: 'Incident response playbooks',
    url: 'https://learn.microsoft.com/en-us/security/operations/incident-response-playbooks',
  },
} as const satisfies Record<string, { title: string; url: string }>;

type Guide = (typeof GUIDANCE)[keyof typeof GUIDANCE];

interface Step {
  title: string;
  /** Plain text: our own words around the escaped account name, no markdown beyond the links. */
  detail: string;
  guides: Guide[];
}

/**
 * Posted in the incident's thread when a responder resolves it as `unauthorized`: the first
 * hour of incident response for a break-glass account, from Microsoft's emergency-access and
 * incident-response guidance, in the order that cuts the intruder off first.
 */
export function renderResponseStepsCard(vm: ResponseStepsCardModel): AdaptiveCard {
  const account = safeText(vm.account, 200);
  const body: AdaptiveElement[] = [
    {
      type: 'Container',
      style: 'attention',
      bleed: true,
      items: [
        { type: 'TextBlock', text: 'UNAUTHORIZED USE · START INCIDENT RESPONSE', size: 'small', weight: 'bolder', color: 'attention' },
        { type: 'TextBlock', text: `Someone used ${account}`, size: 'medium', weight: 'bolder', wrap: true, spacing: 'small' },
        {
          type: 'TextBlock',
          text: `${safeText(vm.resolvedBy, 100)} resolved this incident as unauthorized. Treat the tenant as compromised until these steps say otherwise, and work through them in order.`,
          wrap: true,
          spacing: 'small',
        },
      ],
    },
    ...steps(account).map((step, i) => stepBlock(i + 1, step)),
    {
      type: 'TextBlock',
      text: `Background: ${link(GUIDANCE.emergencyAccess)} · Incident ${safeText(vm.incidentId, 128)}`,
      size: 'small',
      isSubtle: true,
      wrap: true,
      spacing: 'large',
    },
  ];
  return adaptiveCard(body);
}

function steps(account: string): Step[] {
  return [
    {
      title: 'Revoke its sessions and refresh tokens',
      detail:
        `Entra admin center → Users → ${account} → Revoke sessions, or POST /users/{id}/revokeSignInSessions in Microsoft Graph. ` +
        'Revocation can take a few minutes to reach every app.',
      guides: [GUIDANCE.revokeAccess, GUIDANCE.revokeSignInSessions],
    },
    {
      title: 'Reset its password',
      detail:
        'Set a new long random password and store it the way your break-glass procedure says. ' +
        'If its FIDO2 security key or passkey may have been exposed, remove that method and register a new key.',
      guides: [GUIDANCE.emergencyAccess],
    },
    {
      title: 'Read what the account did',
      detail:
        'Filter the Entra audit log and the sign-in logs (interactive and non-interactive) by this account, from the first sign-in of this incident onwards: ' +
        'where it signed in from, which apps it used, what it changed.',
      guides: [GUIDANCE.privilegedAccountsOperations, GUIDANCE.signInLogs],
    },
    {
      title: 'Check what changed since the sign-in',
      detail:
        'Conditional Access policies and their exclusions, role assignments (new Global Administrators, active or eligible), ' +
        'authentication methods on this account, and credentials added to app registrations or service principals.',
      guides: [GUIDANCE.conditionalAccess],
    },
    {
      title: 'Check the monitoring chain is intact',
      detail:
        'The Entra diagnostic setting still sends SignInLogs and AuditLogs to the workspace, the break-glass alert rule is enabled, ' +
        'and its action group still calls Glasswatch. A Global Administrator can switch any of them off.',
      guides: [GUIDANCE.diagnosticSettings],
    },
    {
      title: 'Record what you find',
      detail: 'Add findings as notes on this incident (Note on its card) so the audit trail holds the whole story.',
      guides: [GUIDANCE.incidentResponsePlaybooks],
    },
  ];
}

function stepBlock(n: number, step: Step): Container {
  return {
    type: 'Container',
    spacing: 'medium',
    items: [
      // "Step 1:" rather than "1." so the title is never read as an ordered list.
      { type: 'TextBlock', text: `Step ${n}: ${step.title}`, weight: 'bolder', wrap: true },
      { type: 'TextBlock', text: step.detail, wrap: true, spacing: 'none' },
      { type: 'TextBlock', text: step.guides.map(link).join(' · '), size: 'small', wrap: true, spacing: 'none' },
    ],
  };
}

function link(guide: Guide): string {
  return `[${guide.title}](${guide.url})`;
}
