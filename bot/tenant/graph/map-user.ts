import { snapshotUserSchema, type SnapshotUser } from '../tenant-snapshot.js';

/** The fields Glasswatch reads of a user (signInActivity is a separate, throttled request). */
export const USER_SELECT = 'id,accountEnabled,userPrincipalName,displayName,onPremisesSyncEnabled,passwordPolicies,lastPasswordChangeDateTime,createdDateTime';

/** GET /users/{id}?$select=USER_SELECT → the snapshot's user, or undefined when the answer is not a user. */
export function mapUser(body: unknown): SnapshotUser | undefined {
  const parsed = snapshotUserSchema.safeParse(body);
  return parsed.success ? parsed.data : undefined;
}
