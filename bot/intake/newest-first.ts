import type { SignInDetails } from './alert.js';

/**
 * Sign-ins newest first. Times are normalised ISO 8601 UTC strings, so they sort as text; sign-ins
 * without a time keep their order after the timed ones. Returns a new array.
 */
export function newestFirst(signIns: readonly SignInDetails[]): SignInDetails[] {
  return signIns.toSorted((a, b) => {
    if (a.time === b.time) return 0;
    if (a.time === undefined) return 1;
    if (b.time === undefined) return -1;
    return a.time < b.time ? 1 : -1;
  });
}
