import type { SnapshotMethod, TenantSnapshot } from '../../tenant/tenant-snapshot.js';
import type { Finding, PostureContext } from '../finding.js';
import { FIXES, permissionFix } from '../fixes.js';
import { perAccount, permissionOf } from './configured-accounts.js';
import { describe } from './bg-06.js';

/** Methods that live on one person's phone, mailbox or app. */
const PERSONAL: ReadonlySet<SnapshotMethod['type']> = new Set(['phone', 'microsoftAuthenticator', 'email']);
/** Not tied to a person by nature, but a secret someone holds outside the safe. */
const QUESTIONABLE: ReadonlySet<SnapshotMethod['type']> = new Set(['softwareOath', 'temporaryAccessPass']);

/** BG-07: no method tied to an individual (phone, Microsoft Authenticator, email). */
export function bg07(snapshot: TenantSnapshot, context: PostureContext): Finding[] {
  return perAccount('BG-07', snapshot, context, ({ entry }) => {
    if (!entry.methods.ok) {
      return {
        status: 'unknown',
        evidence: `Authentication methods are unknown: ${entry.methods.reason}.`,
        fix: permissionFix(permissionOf(entry.methods, 'UserAuthenticationMethod.Read.All')),
      };
    }
    const personal = entry.methods.value.filter((method) => PERSONAL.has(method.type));
    if (personal.length > 0) {
      return { status: 'fail', evidence: `Methods tied to an individual are registered: ${describe(personal)}.`, fix: FIXES['BG-07'] };
    }
    const questionable = entry.methods.value.filter((method) => QUESTIONABLE.has(method.type));
    if (questionable.length > 0) {
      return {
        status: 'warn',
        evidence: `${describe(questionable)} registered: a software OTP seed or a temporary access pass is a secret someone may hold outside the safe.`,
        fix: 'Remove software OATH tokens and unused temporary access passes; keep only phishing-resistant keys and the password.',
      };
    }
    return { status: 'pass', evidence: 'No phone, Microsoft Authenticator or email method registered.', fix: '' };
  });
}
