import type { ChecklistItem, ChecklistItemId } from './drill.js';

/**
 * The validation steps of Microsoft's "Manage emergency access accounts in Microsoft Entra ID"
 * (section "Validate accounts regularly": at least every 90 days, and after staff or subscription
 * changes), one item each, in the guidance's order. The wording is ours.
 */
export const CHECKLIST_ITEM_IDS = [
  'staff-informed',
  'process-documented',
  'people-trained',
  'credentials-validated',
  'no-personal-methods',
  'device-reachable',
] as const satisfies readonly ChecklistItemId[];

export interface ChecklistItemText {
  title: string;
  guidance: string;
}

export const CHECKLIST_ITEMS: Readonly<Record<ChecklistItemId, ChecklistItemText>> = {
  'staff-informed': {
    title: 'Monitoring staff informed',
    guidance: 'Tell the security-monitoring staff that this account check is planned, so the coming sign-in is expected and not chased as an attack.',
  },
  'process-documented': {
    title: 'Break-glass process documented and current',
    guidance: 'The procedure for using these accounts in an emergency is written down, can be found without the tenant, and matches how the accounts are set up today.',
  },
  'people-trained': {
    title: 'People who may need it are trained',
    guidance: 'The administrators and security officers who might have to use these accounts in an emergency have been through the procedure.',
  },
  'credentials-validated': {
    title: 'Credentials updated, sign-in and an admin task validated',
    guidance: 'Update the account credentials (the password in particular), then confirm the account can sign in and perform an administrative task.',
  },
  'no-personal-methods': {
    title: 'No MFA or SSPR method tied to a person',
    guidance: "No multifactor or self-service password reset method is registered to an individual's device or personal details (phone number, personal email, someone's Authenticator app).",
  },
  'device-reachable': {
    title: 'Security key reachable, over two network paths',
    guidance: 'The registered device (for example the FIDO2 security key) is accessible to every administrator who may need it, and can reach Microsoft Entra over two network paths that do not share a failure, such as the office network and a mobile network.',
  },
};

export type Checklist = Record<ChecklistItemId, ChecklistItem>;

/** Every item open. */
export function newChecklist(): Checklist {
  return {
    'staff-informed': { state: 'open' },
    'process-documented': { state: 'open' },
    'people-trained': { state: 'open' },
    'credentials-validated': { state: 'open' },
    'no-personal-methods': { state: 'open' },
    'device-reachable': { state: 'open' },
  };
}

/** A drill's checklist is complete when every item is ticked or waived with a reason. */
export function checklistComplete(checklist: Checklist): boolean {
  return openItems(checklist).length === 0;
}

/** The items still open, in the checklist's order. */
export function openItems(checklist: Checklist): ChecklistItemId[] {
  return CHECKLIST_ITEM_IDS.filter((id) => checklist[id].state === 'open');
}

export function isChecklistItemId(value: string): value is ChecklistItemId {
  return (CHECKLIST_ITEM_IDS as readonly string[]).includes(value);
}

/** One row per item, in order, with its text and who did what: what the checklist card shows. */
export interface ChecklistRow extends ChecklistItemText {
  id: ChecklistItemId;
  state: ChecklistItem['state'];
  by?: string;
  at?: string;
  reason?: string;
}

export function checklistRows(checklist: Checklist): ChecklistRow[] {
  return CHECKLIST_ITEM_IDS.map((id) => {
    const item = checklist[id];
    const text = CHECKLIST_ITEMS[id];
    switch (item.state) {
      case 'open':
        return { id, ...text, state: item.state };
      case 'ticked':
        return { id, ...text, state: item.state, by: item.by.name, at: item.at };
      case 'waived':
        return { id, ...text, state: item.state, by: item.by.name, at: item.at, reason: item.reason };
      default: {
        const unreachable: never = item;
        return unreachable;
      }
    }
  });
}
