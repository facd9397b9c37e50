import type { GraphFailure } from './graph-call.js';

export type UnknownSection = { ok: false; reason: string; permission?: string };

/**
 * A Graph failure as an unknown snapshot section, written for the admin: what could not be read,
 * what Graph said, and for a refusal the permission that would fix it.
 */
export function unknownSection(failure: GraphFailure, what: string, permission: string): UnknownSection {
  const said = `${failure.status > 0 ? `${failure.status} ` : ''}${failure.code}: ${failure.message}`;
  switch (failure.kind) {
    case 'denied':
      return { ok: false, reason: `Microsoft Graph refused to read ${what} (${said}). Grant the application permission ${permission} (admin consent).`, permission };
    case 'token':
      return { ok: false, reason: `Glasswatch could not get a Microsoft Graph token to read ${what}: ${failure.message} (check AZURE_TENANT_ID, AZURE_CLIENT_ID, the secret or certificate, and that AZURE_AUTHORITY_HOST is reachable).` };
    case 'transient':
      return { ok: false, reason: `Microsoft Graph did not answer for ${what} after retries (${said}); try again later.` };
    case 'not-found':
    case 'other':
      return { ok: false, reason: `Microsoft Graph could not read ${what} (${said}).` };
  }
}

/** How long a section read may be reused: an answer for the TTL, a refusal briefly, a throttled or failed call not at all. */
export type Keep = 'answer' | 'refusal' | 'retry';

export function keepFor(failure: GraphFailure): Keep {
  return failure.kind === 'transient' || failure.kind === 'token' ? 'retry' : 'refusal';
}
