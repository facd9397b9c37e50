import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluatePosture } from '../../../bot/posture/evaluate.js';
import type { CheckId, Finding } from '../../../bot/posture/finding.js';
import { EMERGENCY_GROUP, account, context, policy, snapshot, unknown, upn, type AccountPatch } from '../../support/snapshot-builder.js';

const missing = unknown('403 Forbidden');
const block = { operator: 'OR', builtInControls: ['block'], authenticationStrength: null };

/**
 * Fail closed: whatever subset of the snapshot is unreadable, a check that depends on an unreadable
 * section never answers pass.
 */
describe('a missing permission never yields a pass', () => {
  it('holds for every combination of unknown sections', () => {
    const sections = fc.record({
      methods: fc.boolean(),
      roles: fc.boolean(),
      memberOf: fc.boolean(),
      signInActivity: fc.boolean(),
      initialDomain: fc.boolean(),
      conditionalAccess: fc.boolean(),
      signIns: fc.boolean(),
      user: fc.boolean(),
    });
    fc.assert(
      fc.property(sections, (gone) => {
        const patch: AccountPatch = {
          ...(gone.user ? { user: missing } : {}),
          ...(gone.methods ? { methods: missing } : {}),
          ...(gone.roles ? { roles: missing } : {}),
          ...(gone.memberOf ? { memberOf: missing } : {}),
          ...(gone.signInActivity ? { signInActivity: missing } : {}),
        };
        const snap = snapshot({
          accounts: [account(1, patch), account(2)],
          ...(gone.initialDomain ? { initialDomain: missing } : {}),
          // The exclusion from this block policy is what keeps the account in: it depends on memberOf.
          conditionalAccess: gone.conditionalAccess ? missing : [policy('Block all', { users: { includeUsers: ['All'], excludeGroups: [EMERGENCY_GROUP] }, grant: block })],
          ...(gone.signIns ? { signIns: missing } : {}),
        });
        const findings = evaluatePosture(snap, context());
        const status = (id: CheckId): Finding['status'] | undefined => findings.find((f) => f.id === id && f.account === upn(1))?.status;
        const mustNotPass: CheckId[] = [
          ...(gone.user ? (['BG-02', 'BG-03', 'BG-04', 'BG-05', 'BG-06', 'BG-07', 'BG-08', 'BG-09', 'BG-10', 'BG-12'] as const) : []),
          ...(gone.initialDomain ? (['BG-03'] as const) : []),
          ...(gone.roles ? (['BG-05'] as const) : []),
          ...(gone.methods ? (['BG-06', 'BG-07'] as const) : []),
          ...(gone.conditionalAccess || gone.memberOf ? (['BG-08'] as const) : []),
          ...(gone.signInActivity && gone.signIns ? (['BG-09', 'BG-12'] as const) : []),
        ];
        for (const id of mustNotPass) expect([id, status(id)]).not.toEqual([id, 'pass']);
        if (gone.user) expect(findings.find((f) => f.id === 'BG-01')?.status).not.toBe('pass');
      }),
      { numRuns: 256 },
    );
  });
});
