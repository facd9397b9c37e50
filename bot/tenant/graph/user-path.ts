import { looksLikeGuid } from '../../intake/looks-like-guid.js';

export type UserRef = { ok: true; path: string; isId: boolean } | { ok: false; reason: string };

const UNSAFE = /[\s\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069/\\?]/;

/**
 * The Graph path of a configured account (`users/{id or UPN}`), encoded. A UPN that starts with `$`
 * must be addressed as users('…') or Graph reads it as a system query option.
 */
export function userPath(requested: string): UserRef {
  const value = requested.trim();
  if (looksLikeGuid(value)) return { ok: true, path: `users/${value.toLowerCase()}`, isId: true };
  if (value.length === 0 || value.length > 256 || UNSAFE.test(value) || !value.includes('@')) {
    return { ok: false, reason: 'is neither a user principal name (name@domain) nor an object id (GUID)' };
  }
  if (value.startsWith('$')) return { ok: true, path: `users('${encodeURIComponent(value.replace(/'/g, "''"))}')`, isId: false };
  return { ok: true, path: `users/${encodeURIComponent(value)}`, isId: false };
}
