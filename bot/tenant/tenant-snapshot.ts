import { z } from 'zod';

/**
 * Everything the break-glass checks read about the monitored tenant, in one JSON document. The
 * Graph/Log Analytics reader produces it live; `glasswatch snapshot export` writes it to a file that
 * `check --snapshot` and local mode read. Every section is "known" or "unknown with the reason"
 * (typically a missing permission or licence), so a check can answer `unknown` and never a false pass.
 */
export const known = <T extends z.ZodTypeAny>(value: T) =>
  z.union([
    z.object({ ok: z.literal(true), value }),
    z.object({
      ok: z.literal(false),
      /** Written for the admin: what could not be read and why. */
      reason: z.string(),
      /** The Graph permission (or licence) that would make it readable, e.g. "Policy.Read.All". */
      permission: z.string().optional(),
    }),
  ]);

export type Known<T> = { ok: true; value: T } | { ok: false; reason: string; permission?: string };

const iso = z.string();

export const snapshotUserSchema = z.object({
  id: z.string(),
  userPrincipalName: z.string(),
  displayName: z.string().nullish(),
  accountEnabled: z.boolean(),
  /** true when synchronised from on-premises AD; null/absent for cloud-only. */
  onPremisesSyncEnabled: z.boolean().nullish(),
  /** e.g. "DisablePasswordExpiration". */
  passwordPolicies: z.string().nullish(),
  lastPasswordChangeDateTime: iso.nullish(),
  createdDateTime: iso.nullish(),
});

export const methodSchema = z.object({
  id: z.string(),
  /** From @odata.type: #microsoft.graph.fido2AuthenticationMethod → "fido2". */
  type: z.enum([
    'fido2',
    'windowsHelloForBusiness',
    'x509Certificate',
    'phone',
    'microsoftAuthenticator',
    'email',
    'softwareOath',
    'temporaryAccessPass',
    'password',
    'platformCredential',
    'other',
  ]),
  displayName: z.string().nullish(),
  /** FIDO2 only: "deviceBound" or "synced" (passkeys). */
  passkeyType: z.string().nullish(),
  model: z.string().nullish(),
  createdDateTime: iso.nullish(),
});

export const roleAssignmentSchema = z.object({
  roleTemplateId: z.string(),
  /** active = roleAssignmentScheduleInstances; eligible = roleEligibilityScheduleInstances (PIM). */
  kind: z.enum(['active', 'eligible']),
  /** Active instances: "Assigned" (permanent or time-bound assignment) or "Activated" (PIM activation). */
  assignmentType: z.string().nullish(),
  startDateTime: iso.nullish(),
  endDateTime: iso.nullish(),
  /** "Direct", "Group" or "Inherited". */
  memberType: z.string().nullish(),
  /**
   * Where it was read: "pim" (schedule instances) or "roleAssignments" (the fallback when PIM cannot be
   * read, e.g. no Entra ID P2: active assignments only, no schedule, so permanence is not shown).
   */
  source: z.enum(['pim', 'roleAssignments']).optional(),
});

export const accountSchema = z.object({
  /** As configured (GLASSWATCH_ACCOUNTS / accounts:): a UPN or an object id. */
  requested: z.string(),
  /** null: the account does not resolve (Graph answered 404). */
  user: known(snapshotUserSchema.nullable()),
  signInActivity: known(
    z.object({
      lastSignInDateTime: iso.nullish(),
      lastSuccessfulSignInDateTime: iso.nullish(),
      lastNonInteractiveSignInDateTime: iso.nullish(),
    }),
  ),
  methods: known(z.array(methodSchema)),
  roles: known(z.array(roleAssignmentSchema)),
  /** Transitive group memberships and directory role templates held, to resolve CA exclusions. */
  memberOf: known(z.object({ groupIds: z.array(z.string()), roleTemplateIds: z.array(z.string()) })),
});

const userConditionsSchema = z.object({
  includeUsers: z.array(z.string()).default([]),
  excludeUsers: z.array(z.string()).default([]),
  includeGroups: z.array(z.string()).default([]),
  excludeGroups: z.array(z.string()).default([]),
  includeRoles: z.array(z.string()).default([]),
  excludeRoles: z.array(z.string()).default([]),
});

export const caPolicySchema = z.object({
  id: z.string(),
  displayName: z.string(),
  state: z.enum(['enabled', 'disabled', 'enabledForReportingButNotEnforced']),
  conditions: z.object({
    users: userConditionsSchema.nullish(),
    applications: z.object({ includeApplications: z.array(z.string()).default([]) }).passthrough().nullish(),
  }).passthrough(),
  grantControls: z
    .object({
      operator: z.string().nullish(),
      builtInControls: z.array(z.string()).default([]),
      authenticationStrength: z
        .object({ id: z.string(), displayName: z.string().nullish(), allowedCombinations: z.array(z.string()).default([]) })
        .nullish(),
    })
    .nullish(),
});

export const signInRowSchema = z.object({
  /** CreatedDateTime: when the sign-in happened (ISO UTC). */
  time: iso,
  upn: z.string().nullish(),
  userId: z.string().nullish(),
  appId: z.string().nullish(),
  app: z.string().nullish(),
  ipAddress: z.string().nullish(),
  location: z.string().nullish(),
  /** "0" = success. */
  resultType: z.string(),
  resultDescription: z.string().nullish(),
  /** "success", "failure", "notApplied". */
  conditionalAccessStatus: z.string().nullish(),
  authenticationMethod: z.string().nullish(),
  correlationId: z.string().nullish(),
  source: z.enum(['SigninLogs', 'AADServicePrincipalSignInLogs', 'graph']),
});

export const tenantSnapshotSchema = z.object({
  schema: z.literal('glasswatch.snapshot.v1'),
  tenantId: z.string(),
  takenAt: iso,
  source: z.enum(['graph', 'file', 'demo']),
  /** The tenant's initial *.onmicrosoft.com domain. */
  initialDomain: known(z.string()),
  accounts: z.array(accountSchema),
  conditionalAccess: known(z.array(caPolicySchema)),
  /** Recent sign-ins of the accounts (Log Analytics), newest first. */
  signIns: known(z.array(signInRowSchema)),
  /** When no account is configured: permanent Global Administrators with only phishing-resistant methods. */
  candidates: known(z.array(z.object({ id: z.string(), userPrincipalName: z.string() }))).optional(),
});

export type TenantSnapshot = z.infer<typeof tenantSnapshotSchema>;
export type SnapshotAccount = z.infer<typeof accountSchema>;
export type SnapshotUser = z.infer<typeof snapshotUserSchema>;
export type SnapshotMethod = z.infer<typeof methodSchema>;
export type SnapshotRoleAssignment = z.infer<typeof roleAssignmentSchema>;
export type CaPolicy = z.infer<typeof caPolicySchema>;
export type SignInRow = z.infer<typeof signInRowSchema>;

export const GLOBAL_ADMINISTRATOR_TEMPLATE_ID = '62e90394-69f5-4237-9190-012177145e10';
