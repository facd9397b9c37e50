import { cleanText } from '../../intake/clean-text.js';
import type { SnapshotMethod } from '../tenant-snapshot.js';
import { graphTime } from './graph-time.js';

const TYPES: Record<string, SnapshotMethod['type']> = {
  '#microsoft.graph.fido2AuthenticationMethod': 'fido2',
  '#microsoft.graph.windowsHelloForBusinessAuthenticationMethod': 'windowsHelloForBusiness',
  '#microsoft.graph.x509CertificateAuthenticationMethod': 'x509Certificate',
  '#microsoft.graph.phoneAuthenticationMethod': 'phone',
  '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod': 'microsoftAuthenticator',
  '#microsoft.graph.emailAuthenticationMethod': 'email',
  '#microsoft.graph.softwareOathAuthenticationMethod': 'softwareOath',
  '#microsoft.graph.temporaryAccessPassAuthenticationMethod': 'temporaryAccessPass',
  '#microsoft.graph.passwordAuthenticationMethod': 'password',
  '#microsoft.graph.platformCredentialAuthenticationMethod': 'platformCredential',
};

/** Phishing-resistant per Microsoft's authentication strengths: FIDO2/passkeys, Windows Hello, certificates, platform SSO. */
export const PHISHING_RESISTANT: ReadonlySet<SnapshotMethod['type']> = new Set(['fido2', 'windowsHelloForBusiness', 'x509Certificate', 'platformCredential']);

/**
 * GET /users/{id}/authentication/methods values → snapshot methods. Unknown method types (hardware
 * OATH, QR code, external) become "other" rather than disappearing.
 */
export function mapMethods(values: readonly unknown[]): SnapshotMethod[] {
  return values.flatMap((value): SnapshotMethod[] => {
    if (typeof value !== 'object' || value === null) return [];
    const raw = value as Record<string, unknown>;
    const id = cleanText(raw.id, 200);
    if (id === undefined) return [];
    const odataType = typeof raw['@odata.type'] === 'string' ? raw['@odata.type'] : '';
    const type = TYPES[odataType] ?? 'other';
    return [
      {
        id,
        type,
        displayName: cleanText(raw.displayName, 200) ?? null,
        passkeyType: type === 'fido2' ? (cleanText(raw.passkeyType, 50) ?? null) : null,
        model: cleanText(raw.model, 200) ?? null,
        // The docs' FIDO2 sample spells it creationDateTime; the schema says createdDateTime.
        createdDateTime: graphTime(raw.createdDateTime) ?? graphTime(raw.creationDateTime),
      },
    ];
  });
}
