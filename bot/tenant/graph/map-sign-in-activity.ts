import { graphTime } from './graph-time.js';

export interface SignInActivity {
  lastSignInDateTime: string | null;
  lastSuccessfulSignInDateTime: string | null;
  lastNonInteractiveSignInDateTime: string | null;
}

/** GET /users/{id}?$select=id,signInActivity → the three times; a user who never signed in has none. */
export function mapSignInActivity(body: unknown): SignInActivity {
  const activity: unknown = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).signInActivity : undefined;
  const field = (name: string): string | null =>
    typeof activity === 'object' && activity !== null ? graphTime((activity as Record<string, unknown>)[name]) : null;
  return {
    lastSignInDateTime: field('lastSignInDateTime'),
    lastSuccessfulSignInDateTime: field('lastSuccessfulSignInDateTime'),
    lastNonInteractiveSignInDateTime: field('lastNonInteractiveSignInDateTime'),
  };
}
