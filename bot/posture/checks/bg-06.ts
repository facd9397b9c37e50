import type { SnapshotMethod, TenantSnapshot } from '../../tenant/tenant-snapshot.js';
import type { Finding, PostureContext } from '../finding.js';
import { FIXES, permissionFix } from '../fixes.js';
import { perAccount, permissionOf, type AccountVerdict } from './configured-accounts.js';

/** Methods that count as phishing-resistant; the CA analysis uses the same list. */
export const PHISHING_RESISTANT_TYPES: ReadonlySet<SnapshotMethod['type']> = new Set(['fido2', 'windowsHelloForBusiness', 'x509Certificate', 'platformCredential']);

export function isSyncedPasskey(method: SnapshotMethod): boolean {
  return method.type === 'fido2' && (method.passkeyType ?? '').toLowerCase() === 'synced';
}

/** Something the keepers can carry to any machine: a device-bound FIDO2 key or a certificate (smart card). */
function isPortableKey(method: SnapshotMethod): boolean {
  return (method.type === 'fido2' && !isSyncedPasskey(method)) || method.type === 'x509Certificate';
}

/** BG-06: a phishing-resistant method, preferably device-bound; two keys recommended. */
export function bg06(snapshot: TenantSnapshot, context: PostureContext): Finding[] {
  return perAccount('BG-06', snapshot, context, ({ entry }) => {
    if (!entry.methods.ok) {
      return {
        status: 'unknown',
        evidence: `Authentication methods are unknown: ${entry.methods.reason}.`,
        fix: permissionFix(permissionOf(entry.methods, 'UserAuthenticationMethod.Read.All')),
      };
    }
    return judge(entry.methods.value);
  });
}

function judge(methods: SnapshotMethod[]): AccountVerdict {
  const resistant = methods.filter((method) => PHISHING_RESISTANT_TYPES.has(method.type));
  if (resistant.length === 0) {
    return { status: 'fail', evidence: 'No phishing-resistant method (FIDO2 security key, passkey or certificate) is registered.', fix: FIXES['BG-06'] };
  }
  const keys = resistant.filter(isPortableKey);
  const synced = resistant.filter(isSyncedPasskey);
  const machineBound = resistant.filter((method) => method.type === 'windowsHelloForBusiness' || method.type === 'platformCredential');
  const concerns = [
    ...(keys.length === 1 ? [`only one device-bound key (${describe(keys)}): register a second key`] : []),
    ...(keys.length === 0 ? ['no device-bound security key or certificate'] : []),
    ...(synced.length > 0 ? [`synced passkey (${describe(synced)}): it lives in a personal cloud account, so it is tied to an individual`] : []),
    ...(machineBound.length > 0 ? [`${describe(machineBound)} works only on one machine`] : []),
  ];
  if (concerns.length === 0) return { status: 'pass', evidence: `${keys.length} device-bound keys: ${describe(keys)}.`, fix: '' };
  return { status: 'warn', evidence: `Phishing-resistant, but ${concerns.join('; ')}.`, fix: FIXES['BG-06'] };
}

export function describe(methods: SnapshotMethod[]): string {
  return methods.map((method) => (method.displayName ? `${method.type} "${method.displayName}"` : method.type)).join(', ');
}
