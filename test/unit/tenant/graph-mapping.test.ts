import { GraphError } from '@microsoft/microsoft-graph-client';
import { describe, expect, it } from 'vitest';
import { graphFailure } from '../../../bot/tenant/graph/graph-call.js';
import { graphTime } from '../../../bot/tenant/graph/graph-time.js';
import { mapCaPolicies } from '../../../bot/tenant/graph/map-ca-policies.js';
import { mapInitialDomain } from '../../../bot/tenant/graph/map-initial-domain.js';
import { mapMemberOf } from '../../../bot/tenant/graph/map-member-of.js';
import { mapMethods } from '../../../bot/tenant/graph/map-methods.js';
import { assignedPrincipals, mapRoleAssignments, mapScheduleInstances, permanentPrincipals } from '../../../bot/tenant/graph/map-roles.js';
import { mapSignInActivity } from '../../../bot/tenant/graph/map-sign-in-activity.js';
import { mapUser } from '../../../bot/tenant/graph/map-user.js';
import { unknownSection } from '../../../bot/tenant/graph/section-failure.js';
import { userPath } from '../../../bot/tenant/graph/user-path.js';
import { accountSchema, GLOBAL_ADMINISTRATOR_TEMPLATE_ID, methodSchema, roleAssignmentSchema } from '../../../bot/tenant/tenant-snapshot.js';
import { docsSample } from '../../fakes/fake-graph.js';

const values = (url: string): unknown[] => {
  const value = docsSample(url).value;
  return Array.isArray(value) ? value : [];
};

describe('users (docs samples)', () => {
  it('maps a user read with $select, and refuses what is not a user', () => {
    const [adele] = values('/users?$select=displayName,userPrincipalName,signInActivity');
    const user = mapUser({ ...(adele as object), accountEnabled: true, onPremisesSyncEnabled: null, passwordPolicies: 'DisablePasswordExpiration' });
    expect(user).toEqual({
      id: '1aecaf40-dc3a-461f-88a8-d06994e12898',
      userPrincipalName: 'AdeleV@contoso.com',
      displayName: 'Adele Vance',
      accountEnabled: true,
      onPremisesSyncEnabled: null,
      passwordPolicies: 'DisablePasswordExpiration',
    });
    // The docs' GET /users/{id} sample wraps the user in "value"; a real answer does not.
    expect(mapUser(docsSample('/users/*'))).toBeUndefined();
    expect(mapUser(adele)).toBeUndefined();
  });

  it('turns signInActivity\'s "" and 0001-01-01 into "never"', () => {
    const [adele, alex] = values('/users?$select=displayName,userPrincipalName,signInActivity');
    expect(mapSignInActivity(adele)).toEqual({ lastSignInDateTime: '2021-06-17T16:41:33Z', lastSuccessfulSignInDateTime: null, lastNonInteractiveSignInDateTime: null });
    expect(mapSignInActivity(alex)).toEqual({ lastSignInDateTime: '2021-07-29T15:53:27Z', lastSuccessfulSignInDateTime: null, lastNonInteractiveSignInDateTime: '2021-07-29T17:53:42Z' });
    expect(mapSignInActivity({ id: 'x', signInActivity: null })).toEqual({ lastSignInDateTime: null, lastSuccessfulSignInDateTime: null, lastNonInteractiveSignInDateTime: null });
    expect(graphTime('not a date')).toBeNull();
  });
});

describe('authentication methods (docs samples)', () => {
  it('maps @odata.type, keeps passkeyType for FIDO2 and reads the sample\'s creationDateTime', () => {
    const [fido2, hello] = values('/me/authentication/methods');
    const methods = mapMethods([
      { ...(fido2 as object), passkeyType: 'deviceBound' },
      hello,
      { '@odata.type': '#microsoft.graph.phoneAuthenticationMethod', id: 'p1', phoneNumber: '+1 2065555555', phoneType: 'mobile' },
      { '@odata.type': '#microsoft.graph.hardwareOathAuthenticationMethod', id: 'h1' },
      { '@odata.type': '#microsoft.graph.fido2AuthenticationMethod' },
    ]);
    expect(methods).toEqual([
      { id: '-2_GRUg2-HYz6_1YG4YRAQ2', type: 'fido2', displayName: 'Red key', passkeyType: 'deviceBound', model: 'NFC key', createdDateTime: '2020-08-10T06:44:09Z' },
      { id: 'b5e01f81-1f81-b5e0-811f-e0b5811fe0b5', type: 'windowsHelloForBusiness', displayName: "Jordan's Surface Book", passkeyType: null, model: null, createdDateTime: '2020-11-27T23:12:49Z' },
      { id: 'p1', type: 'phone', displayName: null, passkeyType: null, model: null, createdDateTime: null },
      { id: 'h1', type: 'other', displayName: null, passkeyType: null, model: null, createdDateTime: null },
    ]);
    for (const method of methods) expect(methodSchema.safeParse(method).success).toBe(true);
  });
});

describe('roles (docs samples)', () => {
  it('maps PIM schedule instances to active and eligible roles', () => {
    const active = mapScheduleInstances(values('/roleManagement/directory/roleAssignmentScheduleInstances'), 'active');
    expect(active[0]).toEqual({ roleTemplateId: GLOBAL_ADMINISTRATOR_TEMPLATE_ID, kind: 'active', assignmentType: 'Assigned', startDateTime: null, endDateTime: null, memberType: 'Direct', source: 'pim' });
    const eligible = mapScheduleInstances(values('/roleManagement/directory/roleEligibilityScheduleInstances'), 'eligible');
    expect(eligible).toEqual([
      { roleTemplateId: '8424c6f0-a189-499e-bbd0-26c1753c96d4', kind: 'eligible', assignmentType: null, startDateTime: '2022-04-12T14:44:50.287Z', endDateTime: '2024-04-10T00:00:00Z', memberType: 'Direct', source: 'pim' },
    ]);
    for (const role of [...active, ...eligible]) expect(roleAssignmentSchema.safeParse(role).success).toBe(true);
  });

  it('maps the roleAssignments fallback without claiming permanence', () => {
    const roles = mapRoleAssignments(values('/roleManagement/directory/roleAssignments?$filter=principalId eq *'));
    expect(roles.map((r) => r.roleTemplateId)).toEqual([GLOBAL_ADMINISTRATOR_TEMPLATE_ID, 'f2ef992c-3afb-46b9-b7cf-a126ee74c451']);
    expect(roles.every((r) => r.kind === 'active' && r.assignmentType === null && r.source === 'roleAssignments')).toBe(true);
  });

  it('finds permanent direct principals for candidates', () => {
    const instances = values('/roleManagement/directory/roleAssignmentScheduleInstances');
    expect(permanentPrincipals(instances)).toEqual(['6be4b305-b75e-4efc-bfcc-31bd3b53a5f8', '56f2d212-e49c-42e3-8298-0188e5bef094']);
    expect(permanentPrincipals([{ ...(instances[0] as object), endDateTime: '2030-01-01T00:00:00Z' }, { ...(instances[1] as object), assignmentType: 'Activated' }])).toEqual([]);
    expect(assignedPrincipals(values('/roleManagement/directory/roleAssignments?$filter=principalId eq *'))).toEqual(['f1847572-48aa-47aa-96a3-2ec61904f41f', 'f1847572-48aa-47aa-96a3-2ec61904f41f']);
  });
});

describe('memberships (docs samples)', () => {
  it('keeps group ids and role template ids, skipping entries without an id', () => {
    // The docs' transitiveMemberOf sample has a group without its id: nothing to match an exclusion against.
    expect(mapMemberOf(values('/users/*/transitiveMemberOf'))).toEqual({ groupIds: [], roleTemplateIds: [] });
    expect(
      mapMemberOf([
        { '@odata.type': '#microsoft.graph.group', id: 'g1' },
        { '@odata.type': '#microsoft.graph.group', id: 'g1' },
        { '@odata.type': '#microsoft.graph.directoryRole', id: 'r1', roleTemplateId: GLOBAL_ADMINISTRATOR_TEMPLATE_ID },
        { '@odata.type': '#microsoft.graph.administrativeUnit', id: 'au1' },
      ]),
    ).toEqual({ groupIds: ['g1'], roleTemplateIds: [GLOBAL_ADMINISTRATOR_TEMPLATE_ID] });
  });
});

describe('Conditional Access policies (docs samples)', () => {
  it('parses the samples, keeping users, grant controls and the authentication strength', () => {
    const mapped = mapCaPolicies(values('/identity/conditionalAccess/policies'));
    if (!mapped.ok) throw new Error(mapped.reason);
    expect(mapped.value.map((p) => p.displayName)).toEqual(['CA001: Require multi-factor authentication for admins', 'CA008: Require password change for high-risk users']);
    expect(mapped.value[0]?.conditions.users?.includeRoles).toContain(GLOBAL_ADMINISTRATOR_TEMPLATE_ID);
    expect(mapped.value[0]?.conditions.users?.excludeGroups).toEqual(['eedad040-3722-4bcb-bde5-bc7c857f4983']);
    expect(mapped.value[1]?.grantControls?.authenticationStrength?.allowedCombinations).toContain('fido2');
  });

  it('makes the whole list unknown when one policy does not parse', () => {
    const [first] = values('/identity/conditionalAccess/policies');
    const mapped = mapCaPolicies([first, { id: 'broken-1', displayName: 'Broken', state: 'sometimes', conditions: {} }]);
    expect(mapped.ok).toBe(false);
    if (!mapped.ok) expect(mapped.reason).toMatch(/broken-1.*state/);
  });
});

describe('organization (docs samples)', () => {
  it('finds the initial domain among verifiedDomains; the docs sample has none', () => {
    expect(mapInitialDomain(docsSample('/organization'))).toBeUndefined();
    const withDomains = { value: [{ id: 'o1', verifiedDomains: [{ name: 'contoso.com', isInitial: false }, { name: 'contoso.onmicrosoft.com', isInitial: true }] }] };
    expect(mapInitialDomain(withDomains)).toBe('contoso.onmicrosoft.com');
  });
});

describe('user paths', () => {
  it('encodes UPNs, lower-cases ids and uses users(\'…\') for a leading $', () => {
    expect(userPath('BG-Alpha@contoso.onmicrosoft.com')).toEqual({ ok: true, path: 'users/BG-Alpha%40contoso.onmicrosoft.com', isId: false });
    expect(userPath('john_contoso.com#EXT#@fabrikam.onmicrosoft.com')).toEqual({ ok: true, path: 'users/john_contoso.com%23EXT%23%40fabrikam.onmicrosoft.com', isId: false });
    expect(userPath('0B5A1C2D-3E4F-4A5B-8C6D-7E8F9A0B1C2D')).toEqual({ ok: true, path: 'users/0b5a1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d', isId: true });
    expect(userPath("$o'x@contoso.com")).toEqual({ ok: true, path: "users('%24o''x%40contoso.com')", isId: false });
    for (const bad of ['', 'no-at-sign', 'a/b@c.com', 'a b@c.com', 'a?x=1@c.com', 'line\n@c.com']) expect(userPath(bad).ok).toBe(false);
  });
});

describe('failures as sections', () => {
  it('names the permission on a refusal and none on a token failure', () => {
    const denied = new GraphError(403, 'Insufficient privileges to complete the operation.');
    denied.code = 'Authorization_RequestDenied';
    expect(unknownSection(graphFailure(denied), 'Conditional Access policies', 'Policy.Read.All')).toEqual({
      ok: false,
      reason: 'Microsoft Graph refused to read Conditional Access policies (403 Authorization_RequestDenied: Insufficient privileges to complete the operation.). Grant the application permission Policy.Read.All (admin consent).',
      permission: 'Policy.Read.All',
    });
    const tokenError = new Error('AADSTS7000215: Invalid client secret provided.');
    tokenError.name = 'AuthenticationError';
    const section = unknownSection(graphFailure(tokenError), 'authentication methods', 'UserAuthenticationMethod.Read.All');
    expect(section.permission).toBeUndefined();
    expect(section.reason).toMatch(/^Glasswatch could not get a Microsoft Graph token to read authentication methods: AADSTS7000215: Invalid client secret provided\. \(check AZURE_TENANT_ID/);
    expect(graphFailure(new GraphError(503, 'busy')).kind).toBe('transient');
    expect(graphFailure(new GraphError(404, 'gone')).kind).toBe('not-found');
  });

  it('every section shape fits the snapshot contract', () => {
    const account = {
      requested: 'bg@contoso.onmicrosoft.com',
      user: { ok: true, value: null },
      signInActivity: unknownSection(graphFailure(new GraphError(403, 'no')), 'signInActivity', 'AuditLog.Read.All'),
      methods: { ok: true, value: mapMethods(values('/me/authentication/methods')) },
      roles: { ok: true, value: mapScheduleInstances(values('/roleManagement/directory/roleAssignmentScheduleInstances'), 'active') },
      memberOf: { ok: true, value: mapMemberOf(values('/users/*/transitiveMemberOf')) },
    };
    expect(accountSchema.safeParse(account).success).toBe(true);
  });
});
