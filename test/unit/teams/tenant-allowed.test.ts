import { describe, expect, it } from 'vitest';
import { tenantAllowed } from '../../../bot/teams/tenant-allowed.js';

const OURS = '72f988bf-86f1-41af-91ab-2d7cd011db47';

describe('tenantAllowed', () => {
  const production = { mode: 'production' as const, allowedTenants: [OURS] };

  it('lets the allowed tenant in, whatever the case of its id', () => {
    expect(tenantAllowed(production, OURS.toUpperCase())).toBe(true);
  });

  it('refuses another tenant and an activity that names none', () => {
    expect(tenantAllowed(production, '11111111-1111-1111-1111-111111111111')).toBe(false);
    expect(tenantAllowed(production, undefined)).toBe(false);
  });

  it('lets everything in only in local mode (loopback, no credentials)', () => {
    expect(tenantAllowed({ mode: 'local', allowedTenants: [] }, undefined)).toBe(true);
    expect(tenantAllowed({ mode: 'production', allowedTenants: [] }, OURS)).toBe(false);
  });
});
