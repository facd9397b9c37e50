import type { AlertSource, SignInDetails, Subject } from './alert.js';
import { looksLikeGuid } from './looks-like-guid.js';

/** The rule that raised the alert: its name, and its ARM resource id when the alert carries it. */
export interface RuleIdentity {
  name: string;
  resourceId?: string;
}

/**
 * Who or what an incident is about, which decides how alerts group.
 *
 * The first sign-in (newest first) that names an account decides: a UPN, else a user object id,
 * else an app id. When none does (a V2 rule without dimensions, a metric alert) the subject is
 * the monitoring itself, keyed by the rule. Activity-log alerts are always about the monitoring:
 * their `caller` is who changed something, not the account under watch.
 *
 * A monitoring subject is keyed by the rule's ARM id when the alert gives it (`alertRuleID`),
 * else by its name. Not by `originAlertId`: that identifies the alert instance, so keying on it
 * would give every firing its own incident.
 */
export function identifySubject(source: AlertSource, signIns: readonly SignInDetails[], rule: RuleIdentity): Subject {
  if (source !== 'activity-log') {
    for (const signIn of signIns) {
      const subject = accountOf(signIn);
      if (subject !== undefined) return subject;
    }
  }
  return { kind: 'monitoring', key: `rule:${(rule.resourceId ?? rule.name).toLowerCase()}`, ruleName: rule.name };
}

type UserSubject = Extract<Subject, { kind: 'user' }>;
type PrincipalSubject = Extract<Subject, { kind: 'service-principal' }>;

function accountOf(signIn: SignInDetails): Subject | undefined {
  const { userId } = signIn;
  const objectId = userId !== undefined && looksLikeGuid(userId) ? userId.toLowerCase() : undefined;
  if (signIn.upn !== undefined) {
    const user: UserSubject = { kind: 'user', key: `user:${signIn.upn.toLowerCase()}`, upn: signIn.upn };
    return objectId === undefined ? user : { ...user, objectId };
  }
  if (objectId !== undefined) return { kind: 'user', key: `user:${objectId}`, objectId };
  if (signIn.appId !== undefined && looksLikeGuid(signIn.appId)) {
    const appId = signIn.appId.toLowerCase();
    const principal: PrincipalSubject = { kind: 'service-principal', key: `sp:${appId}`, appId };
    const displayName = signIn.servicePrincipalName;
    return displayName === undefined ? principal : { ...principal, displayName };
  }
  return undefined;
}
