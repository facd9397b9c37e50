import type { Logger } from 'pino';
import { cleanText } from '../../intake/clean-text.js';
import { looksLikeGuid } from '../../intake/looks-like-guid.js';
import type { Known, SnapshotAccount, SnapshotMethod, SnapshotUser } from '../tenant-snapshot.js';
import type { GraphCaller } from './graph-call.js';
import { mapMemberOf, type MemberOf } from './map-member-of.js';
import { mapMethods } from './map-methods.js';
import { mapSignInActivity, type SignInActivity } from './map-sign-in-activity.js';
import { mapUser, USER_SELECT } from './map-user.js';
import { readRoles } from './read-roles.js';
import type { SectionCache } from './section-cache.js';
import { keepFor, unknownSection } from './section-failure.js';
import type { TenantBuckets } from './token-bucket.js';
import { userPath } from './user-path.js';

export interface AccountReadContext {
  graph: GraphCaller;
  cache: SectionCache;
  buckets: TenantBuckets;
  logger?: Logger;
}

export const PERMISSIONS = {
  user: 'User.Read.All',
  signInActivity: 'AuditLog.Read.All',
  methods: 'UserAuthenticationMethod.Read.All',
  memberOf: 'GroupMember.Read.All (or Directory.Read.All)',
} as const;

type Sections = Omit<SnapshotAccount, 'requested' | 'user'>;

/**
 * One configured account: the user, then (by object id) signInActivity, methods, roles and
 * transitive memberships, each its own section so a refusal of one keeps the others. An id is
 * known up front, so everything is asked at once; a UPN is resolved first.
 */
export async function readAccount(ctx: AccountReadContext, requested: string): Promise<SnapshotAccount> {
  const ref = userPath(requested);
  // Configured text reaches reasons (cards, logs) only cleaned.
  const shown = cleanText(requested, 120) ?? '(blank)';
  if (!ref.ok) return unresolved(requested, { ok: true, value: null }, `"${shown}" ${ref.reason}`);
  const user = ctx.cache.get<Known<SnapshotUser | null>>(`user:${ref.path.toLowerCase()}`, async () => {
    const outcome = await ctx.graph.get(`/${ref.path}?$select=${USER_SELECT}`);
    if (outcome.ok) {
      const mapped = mapUser(outcome.body);
      return mapped
        ? { section: { ok: true, value: mapped }, keep: 'answer' }
        : { section: { ok: false, reason: `Microsoft Graph answered for user ${shown} with something that is not a user.` }, keep: 'retry' };
    }
    if (outcome.kind === 'not-found') return { section: { ok: true, value: null }, keep: 'answer' };
    return { section: unknownSection(outcome, `user ${shown}`, PERMISSIONS.user), keep: keepFor(outcome) };
  });

  if (ref.isId) {
    const id = ref.path.slice('users/'.length);
    const [known, sections] = await Promise.all([user, readSections(ctx, id)]);
    return known.ok && known.value === null ? unresolved(requested, known, 'the account does not resolve') : { requested, user: known, ...sections };
  }
  const known = await user;
  if (known.ok && known.value === null) return unresolved(requested, known, 'the account does not resolve');
  const id = known.ok ? known.value?.id : undefined;
  if (id === undefined || !looksLikeGuid(id)) {
    return unresolved(requested, known, 'the object id is unknown because reading the user failed (see its user section)');
  }
  return { requested, user: known, ...(await readSections(ctx, id.toLowerCase())) };
}

async function readSections(ctx: AccountReadContext, id: string): Promise<Sections> {
  const { graph, cache, buckets } = ctx;
  const [signInActivity, methods, roles, memberOf] = await Promise.all([
    cache.get<Known<SignInActivity>>(`signInActivity:${id}`, async () => {
      await buckets.signInActivity.take();
      const outcome = await graph.get(`/users/${id}?$select=id,signInActivity`);
      return outcome.ok
        ? { section: { ok: true, value: mapSignInActivity(outcome.body) }, keep: 'answer' }
        : { section: unknownSection(outcome, 'signInActivity (it also needs Microsoft Entra ID P1)', signInActivityPermission(outcome.code)), keep: keepFor(outcome) };
    }),
    cache.get<Known<SnapshotMethod[]>>(`methods:${id}`, async () => {
      const outcome = await graph.getAll(`/users/${id}/authentication/methods`);
      return outcome.ok
        ? { section: { ok: true, value: mapMethods(outcome.values) }, keep: 'answer' }
        : { section: unknownSection(outcome, 'authentication methods', PERMISSIONS.methods), keep: keepFor(outcome) };
    }),
    cache.get(`roles:${id}`, () => readRoles(graph, id, ctx.logger)),
    cache.get<Known<MemberOf>>(`memberOf:${id}`, async () => {
      const outcome = await graph.getAll(`/users/${id}/transitiveMemberOf`);
      return outcome.ok
        ? { section: { ok: true, value: mapMemberOf(outcome.values) }, keep: 'answer' }
        : { section: unknownSection(outcome, 'group and role memberships', PERMISSIONS.memberOf), keep: keepFor(outcome) };
    }),
  ]);
  return { signInActivity, methods, roles, memberOf };
}

function unresolved(requested: string, user: Known<SnapshotUser | null>, why: string): SnapshotAccount {
  const section = { ok: false as const, reason: `Not read: ${why}.` };
  return { requested, user, signInActivity: section, methods: section, roles: section, memberOf: section };
}

/** Graph refuses signInActivity with a "non-premium tenant" code when the licence, not the permission, is missing. */
function signInActivityPermission(code: string): string {
  return /premium/i.test(code) ? 'Microsoft Entra ID P1 licence' : PERMISSIONS.signInActivity;
}
