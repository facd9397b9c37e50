import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, type AuditEntry, type AuditRecord } from '../../../bot/audit/audit-entry.js';
import { canonicalJson, chainEntry, hashEntry, verifyChain } from '../../../bot/audit/hash-chain.js';

const AT = '2025-03-01T12:00:00.000Z';

function record(n: number, overrides: Partial<AuditRecord> = {}): AuditRecord {
  return {
    kind: n % 2 === 0 ? 'alert.created' : 'incident.acknowledged',
    at: new Date(Date.parse(AT) + n * 1000).toISOString(),
    actor: n % 2 === 0 ? { id: 'system', name: 'Glasswatch' } : { id: `aad-${n}`, name: `Responder ${n}` },
    incidentId: `inc-${Math.floor(n / 3)}`,
    ...(n % 3 === 0 ? { alertId: `alert-${n}` } : {}),
    data: { n, note: `entry ${n}`, tags: ['a', { z: 1, y: [n] }] },
    ...overrides,
  };
}

function chain(records: readonly AuditRecord[]): AuditEntry[] {
  const entries: AuditEntry[] = [];
  for (const item of records) entries.push(chainEntry(entries.at(-1), item));
  return entries;
}

function trail(length: number): AuditEntry[] {
  return chain(Array.from({ length }, (_, index) => record(index + 1)));
}

/** Replaces the entry at `seq` (1-based) without touching the input array. */
function withEntry(entries: readonly AuditEntry[], seq: number, change: (entry: AuditEntry) => AuditEntry): AuditEntry[] {
  return entries.map((entry, index) => (index === seq - 1 ? change(entry) : entry));
}

function otherHash(hash: string): string {
  return `${hash.startsWith('0') ? '1' : '0'}${hash.slice(1)}`;
}

describe('canonicalJson', () => {
  it('sorts keys at every depth and leaves out whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}');
  });

  it('gives the same text whatever order the keys were built in', () => {
    const one = { kind: 'k', data: { beta: [1, 2], alpha: { second: 2, first: 1 } }, seq: 1 };
    const other = { seq: 1, data: { alpha: { first: 1, second: 2 }, beta: [1, 2] }, kind: 'k' };
    expect(canonicalJson(one)).toBe(canonicalJson(other));
  });

  it('keeps array order, because order in an array is meaning', () => {
    expect(canonicalJson([2, 1])).not.toBe(canonicalJson([1, 2]));
  });

  it('omits undefined fields, and writes null for undefined array items and non-finite numbers, like JSON', () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
    expect(canonicalJson([undefined, Number.NaN, Number.POSITIVE_INFINITY])).toBe('[null,null,null]');
    expect(canonicalJson({ when: new Date(AT) })).toBe(`{"when":"${AT}"}`);
  });

  it('sorts keys by code unit, not by locale', () => {
    expect(canonicalJson({ b: 1, B: 2, é: 3, a: 4 })).toBe('{"B":2,"a":4,"b":1,"é":3}');
  });

  it('refuses a bigint rather than guess', () => {
    expect(() => canonicalJson({ n: 1n })).toThrow(/bigint/);
  });

  it('gives the same text for a value and its JSON round trip', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(JSON.parse(JSON.stringify(value)))).toBe(canonicalJson(value));
      }),
    );
  });

  it('parses back to the value it encodes', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });
});

describe('hashEntry', () => {
  const fields = { seq: 1, kind: 'alert.created', at: AT, actor: { id: 'system', name: 'Glasswatch' }, data: { a: 1 }, prevHash: GENESIS_HASH };

  it('is a hex SHA-256', () => {
    expect(hashEntry(fields)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('does not depend on key order or on fields outside the entry', () => {
    const reordered = { prevHash: GENESIS_HASH, data: { a: 1 }, actor: { name: 'Glasswatch', id: 'system' }, at: AT, kind: 'alert.created', seq: 1 };
    expect(hashEntry(reordered)).toBe(hashEntry(fields));
    expect(hashEntry({ ...fields, incidentId: undefined })).toBe(hashEntry(fields));
    const stray = { ...fields, actor: { ...fields.actor, email: 'x@contoso.com' }, extra: 'ignored' };
    expect(hashEntry(stray)).toBe(hashEntry(fields));
  });

  it('changes when any field changes', () => {
    const base = hashEntry(fields);
    expect(hashEntry({ ...fields, seq: 2 })).not.toBe(base);
    expect(hashEntry({ ...fields, kind: 'alert.grouped' })).not.toBe(base);
    expect(hashEntry({ ...fields, at: '2025-03-01T12:00:00.001Z' })).not.toBe(base);
    expect(hashEntry({ ...fields, actor: { id: 'system', name: 'glasswatch' } })).not.toBe(base);
    expect(hashEntry({ ...fields, incidentId: 'inc-1' })).not.toBe(base);
    expect(hashEntry({ ...fields, alertId: 'alert-1' })).not.toBe(base);
    expect(hashEntry({ ...fields, data: { a: 2 } })).not.toBe(base);
    expect(hashEntry({ ...fields, prevHash: otherHash(GENESIS_HASH) })).not.toBe(base);
  });

  it('does not confuse an incident id with an alert id', () => {
    expect(hashEntry({ ...fields, incidentId: 'x' })).not.toBe(hashEntry({ ...fields, alertId: 'x' }));
  });
});

describe('chainEntry', () => {
  it('starts the trail at seq 1 on the genesis hash', () => {
    const first = chainEntry(undefined, record(1));
    expect(first).toMatchObject({ seq: 1, prevHash: GENESIS_HASH, kind: record(1).kind });
    expect(first.hash).toBe(hashEntry(first));
  });

  it('links each entry to the one before', () => {
    const first = chainEntry(undefined, record(1));
    const second = chainEntry(first, record(2));
    expect(second).toMatchObject({ seq: 2, prevHash: first.hash });
  });

  it('normalises data to its JSON form and leaves the record alone', () => {
    const input = record(1, { data: { keep: 1, drop: undefined, when: new Date(AT) } });
    const entry = chainEntry(undefined, input);
    expect(entry.data).toStrictEqual({ keep: 1, when: AT });
    expect(input.data).toHaveProperty('drop');
    expect(input.data.when).toBeInstanceOf(Date);
  });

  it('omits absent ids rather than storing undefined', () => {
    const entry = chainEntry(undefined, { kind: 'channel.bound', at: AT, actor: { id: 'u', name: 'U' }, data: {} });
    expect(Object.keys(entry)).not.toContain('incidentId');
    expect(Object.keys(entry)).not.toContain('alertId');
  });
});

describe('verifyChain', () => {
  const entries = trail(10);

  it('accepts an intact trail and reports its length and last hash', () => {
    expect(verifyChain(entries)).toEqual({ ok: true, count: 10, lastHash: entries[9]?.hash });
  });

  it('accepts an empty trail', () => {
    expect(verifyChain([])).toEqual({ ok: true, count: 0, lastHash: GENESIS_HASH });
  });

  it('catches changed data at that entry', () => {
    const tampered = withEntry(entries, 4, (entry) => ({ ...entry, data: { ...entry.data, n: 999 } }));
    expect(verifyChain(tampered)).toEqual({ ok: false, count: 3, brokenAt: 4, reason: 'entry 4 was changed after it was written' });
  });

  it('catches a changed actor at that entry', () => {
    const tampered = withEntry(entries, 5, (entry) => ({ ...entry, actor: { id: entry.actor.id, name: 'Someone Else' } }));
    expect(verifyChain(tampered)).toEqual({ ok: false, count: 4, brokenAt: 5, reason: 'entry 5 was changed after it was written' });
  });

  it('catches a changed time at that entry', () => {
    const tampered = withEntry(entries, 7, (entry) => ({ ...entry, at: '2020-01-01T00:00:00.000Z' }));
    expect(verifyChain(tampered)).toEqual({ ok: false, count: 6, brokenAt: 7, reason: 'entry 7 was changed after it was written' });
  });

  it('catches a deleted middle entry where it should have been', () => {
    const tampered = entries.filter((entry) => entry.seq !== 5);
    const verdict = verifyChain(tampered);
    expect(verdict).toMatchObject({ ok: false, count: 4, brokenAt: 5 });
    expect(verdict.ok ? '' : verdict.reason).toBe('expected entry 5 after entry 4 but found entry 6: entries are missing or out of order');
  });

  it('catches a deleted first entry', () => {
    expect(verifyChain(entries.slice(1))).toMatchObject({ ok: false, count: 0, brokenAt: 1, reason: expect.stringContaining('at the start of the trail but found entry 2') });
  });

  it('catches swapped entries at the first one out of place', () => {
    const tampered = entries.map((entry, index) => entries[index === 2 ? 3 : index === 3 ? 2 : index] ?? entry);
    expect(verifyChain(tampered)).toMatchObject({ ok: false, count: 2, brokenAt: 3, reason: expect.stringContaining('expected entry 3 after entry 2 but found entry 4') });
  });

  it('catches a changed prevHash at that entry', () => {
    const tampered = withEntry(entries, 6, (entry) => ({ ...entry, prevHash: otherHash(entry.prevHash) }));
    expect(verifyChain(tampered)).toMatchObject({ ok: false, count: 5, brokenAt: 6, reason: expect.stringMatching(/^entry 6 does not link to entry 5: /) });
  });

  it('catches a changed hash at that entry', () => {
    const tampered = withEntry(entries, 6, (entry) => ({ ...entry, hash: otherHash(entry.hash) }));
    expect(verifyChain(tampered)).toEqual({ ok: false, count: 5, brokenAt: 6, reason: 'entry 6 was changed after it was written' });
  });

  it('catches a rewritten entry whose hash was recomputed at the next link', () => {
    const tampered = withEntry(entries, 4, (entry) => {
      const fields = { ...entry, data: { n: 0 } };
      return { ...fields, hash: hashEntry(fields) };
    });
    expect(verifyChain(tampered)).toMatchObject({ ok: false, count: 4, brokenAt: 5, reason: expect.stringContaining(`entry 4's hash is ${tampered[3]?.hash}`) });
  });

  it('catches a first entry that does not start on the genesis hash', () => {
    const first = chainEntry({ seq: 0, hash: otherHash(GENESIS_HASH) }, record(1));
    expect(verifyChain([first])).toMatchObject({ ok: false, count: 0, brokenAt: 1, reason: expect.stringContaining('not the genesis hash') });
  });

  it('reads entries one at a time and stops at the first broken link', () => {
    let pulled = 0;
    function* source(): Generator<AuditEntry> {
      let previous: AuditEntry | undefined;
      for (let n = 1; n <= 1_000_000; n += 1) {
        const entry = chainEntry(previous, record(n));
        previous = entry;
        pulled += 1;
        yield n === 50 ? { ...entry, kind: 'tampered' } : entry;
      }
    }
    expect(verifyChain(source())).toMatchObject({ ok: false, brokenAt: 50 });
    expect(pulled).toBe(50);
  });
});

describe('verifyChain properties', () => {
  const text = fc.string({ maxLength: 12 });
  const arbitraryRecord: fc.Arbitrary<AuditRecord> = fc.record(
    {
      kind: text,
      at: fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
      actor: fc.record({ id: text, name: text }),
      incidentId: text,
      alertId: text,
      data: fc.dictionary(text, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
    },
    { requiredKeys: ['kind', 'at', 'actor', 'data'] },
  );
  const records = fc.array(arbitraryRecord, { minLength: 1, maxLength: 12 });

  it('verifies any chained trail, also after a JSON round trip as storage does', () => {
    fc.assert(
      fc.property(records, (items) => {
        const entries = chain(items);
        expect(verifyChain(entries)).toEqual({ ok: true, count: items.length, lastHash: entries.at(-1)?.hash });
        const stored = entries.map((entry) => JSON.parse(JSON.stringify(entry)) as AuditEntry);
        expect(verifyChain(stored)).toEqual(verifyChain(entries));
      }),
    );
  });

  type Mutation = (entry: AuditEntry) => AuditEntry;
  const suffix = (value: string) => `${value}~`;
  const fieldMutations: Record<string, Mutation> = {
    kind: (entry) => ({ ...entry, kind: suffix(entry.kind) }),
    at: (entry) => ({ ...entry, at: suffix(entry.at) }),
    actorId: (entry) => ({ ...entry, actor: { ...entry.actor, id: suffix(entry.actor.id) } }),
    actorName: (entry) => ({ ...entry, actor: { ...entry.actor, name: suffix(entry.actor.name) } }),
    incidentId: (entry) => ({ ...entry, incidentId: entry.incidentId === undefined ? 'inc-x' : suffix(entry.incidentId) }),
    alertId: (entry) => ({ ...entry, alertId: entry.alertId === undefined ? 'alert-x' : suffix(entry.alertId) }),
    data: (entry) => {
      let key = 'tampered';
      while (Object.hasOwn(entry.data, key)) key = suffix(key);
      return { ...entry, data: { ...entry.data, [key]: 1 } };
    },
  };
  const linkMutations: Record<string, Mutation> = {
    seqUp: (entry) => ({ ...entry, seq: entry.seq + 1 }),
    seqDown: (entry) => ({ ...entry, seq: entry.seq - 1 }),
    prevHash: (entry) => ({ ...entry, prevHash: otherHash(entry.prevHash) }),
    hash: (entry) => ({ ...entry, hash: otherHash(entry.hash) }),
  };

  it('detects any single-field change at the changed entry', () => {
    const mutations = { ...fieldMutations, ...linkMutations };
    fc.assert(
      fc.property(records, fc.nat(), fc.constantFrom(...Object.keys(mutations)), (items, pick, name) => {
        const entries = chain(items);
        const seq = (pick % entries.length) + 1;
        const mutate = mutations[name];
        if (mutate === undefined) throw new Error(`no mutation ${name}`);
        expect(verifyChain(withEntry(entries, seq, mutate))).toMatchObject({ ok: false, brokenAt: seq, count: seq - 1 });
      }),
    );
  });

  it('detects a changed entry whose hash was recomputed at the next entry, or by the last hash', () => {
    fc.assert(
      fc.property(records, fc.nat(), fc.constantFrom(...Object.keys(fieldMutations)), (items, pick, name) => {
        const entries = chain(items);
        const seq = (pick % entries.length) + 1;
        const mutate = fieldMutations[name];
        if (mutate === undefined) throw new Error(`no mutation ${name}`);
        const tampered = withEntry(entries, seq, (entry) => {
          const { hash: _old, ...fields } = mutate(entry);
          return { ...fields, hash: hashEntry(fields) };
        });
        const verdict = verifyChain(tampered);
        if (seq < entries.length) {
          expect(verdict).toMatchObject({ ok: false, brokenAt: seq + 1, count: seq });
        } else {
          // Nothing follows the last entry, so only a last hash kept elsewhere can tell.
          expect(verdict).toMatchObject({ ok: true, count: entries.length });
          expect(verdict.ok && verdict.lastHash).not.toBe(entries.at(-1)?.hash);
        }
      }),
    );
  });
});
