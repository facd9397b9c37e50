import { createHash } from 'node:crypto';
import { GENESIS_HASH, type AuditEntry, type AuditRecord } from './audit-entry.js';

/**
 * JSON with object keys sorted at every depth and no whitespace, so the same value always hashes the
 * same whatever order its keys were built in. Follows JSON.stringify otherwise (undefined, functions
 * and symbols are left out of objects and become null in arrays; non-finite numbers become null;
 * toJSON is honoured), so a value and its JSON round trip give the same text.
 */
export function canonicalJson(value: unknown): string {
  return encode(value, false) ?? 'null';
}

/** Returns undefined for values JSON leaves out of objects. */
function encode(value: unknown, inArray: boolean): string | undefined {
  const plain = hasToJson(value) ? value.toJSON() : value;
  switch (typeof plain) {
    case 'string':
    case 'boolean':
      return JSON.stringify(plain);
    case 'number':
      return Number.isFinite(plain) ? JSON.stringify(plain) : 'null';
    case 'bigint':
      throw new TypeError('canonicalJson: a bigint has no JSON form');
    case 'undefined':
    case 'function':
    case 'symbol':
      return inArray ? 'null' : undefined;
    case 'object':
      if (plain === null) return 'null';
      if (Array.isArray(plain)) return `[${plain.map((item: unknown) => encode(item, true)).join(',')}]`;
      return encodeObject(plain);
  }
}

function encodeObject(value: object): string {
  const members: string[] = [];
  // Code-unit order, not localeCompare: the text must not depend on the machine's locale.
  for (const key of Object.keys(value).sort()) {
    const encoded = encode((value as Record<string, unknown>)[key], false);
    if (encoded !== undefined) members.push(`${JSON.stringify(key)}:${encoded}`);
  }
  return `{${members.join(',')}}`;
}

function hasToJson(value: unknown): value is { toJSON: () => unknown } {
  return typeof value === 'object' && value !== null && typeof (value as { toJSON?: unknown }).toJSON === 'function';
}

/** Hex SHA-256 over the canonical JSON of the entry's fields (everything but the hash itself). */
export function hashEntry(fields: Omit<AuditEntry, 'hash'>): string {
  // Named fields only: a stray property on the object must not change (or escape) the hash.
  const content = {
    seq: fields.seq,
    kind: fields.kind,
    at: fields.at,
    actor: { id: fields.actor.id, name: fields.actor.name },
    incidentId: fields.incidentId,
    alertId: fields.alertId,
    data: fields.data,
    prevHash: fields.prevHash,
  };
  return createHash('sha256').update(canonicalJson(content), 'utf8').digest('hex');
}

/**
 * The entry that follows `previous` (or starts the trail when there is none). `data` is normalised to
 * its JSON form, so the returned entry equals what reading it back from storage gives.
 */
export function chainEntry(previous: { seq: number; hash: string } | undefined, record: AuditRecord): AuditEntry {
  const fields: Omit<AuditEntry, 'hash'> = {
    seq: previous ? previous.seq + 1 : 1,
    kind: record.kind,
    at: record.at,
    actor: { id: record.actor.id, name: record.actor.name },
    ...(record.incidentId === undefined ? {} : { incidentId: record.incidentId }),
    ...(record.alertId === undefined ? {} : { alertId: record.alertId }),
    data: JSON.parse(canonicalJson(record.data)) as Record<string, unknown>,
    prevHash: previous ? previous.hash : GENESIS_HASH,
  };
  return { ...fields, hash: hashEntry(fields) };
}

export type ChainVerdict =
  | { ok: true; count: number; lastHash: string }
  /** `brokenAt` is the seq the first bad position should have held; `count` entries before it are intact. */
  | { ok: false; count: number; brokenAt: number; reason: string };

/**
 * Walks the trail in order and stops at the first broken link. Reads one entry at a time, so a trail
 * of any length verifies in constant memory. A trail cut short at its end still verifies: compare
 * `lastHash` with one recorded elsewhere to catch that.
 */
export function verifyChain(entries: Iterable<AuditEntry>): ChainVerdict {
  let count = 0;
  let previousHash = GENESIS_HASH;
  for (const entry of entries) {
    const expectedSeq = count + 1;
    const reason = linkProblem(entry, expectedSeq, previousHash);
    if (reason !== undefined) return { ok: false, count, brokenAt: expectedSeq, reason };
    count = expectedSeq;
    previousHash = entry.hash;
  }
  return { ok: true, count, lastHash: previousHash };
}

function linkProblem(entry: AuditEntry, expectedSeq: number, previousHash: string): string | undefined {
  const after = expectedSeq === 1 ? 'at the start of the trail' : `after entry ${expectedSeq - 1}`;
  if (entry.seq !== expectedSeq) {
    return `expected entry ${expectedSeq} ${after} but found entry ${String(entry.seq)}: entries are missing or out of order`;
  }
  if (entry.prevHash !== previousHash) {
    return expectedSeq === 1
      ? `entry 1 does not start the chain: its prevHash is ${entry.prevHash}, not the genesis hash`
      : `entry ${expectedSeq} does not link to entry ${expectedSeq - 1}: its prevHash is ${entry.prevHash} but entry ${expectedSeq - 1}'s hash is ${previousHash} (one of the two was changed, or entries between them were removed)`;
  }
  if (hashEntry(entry) !== entry.hash) return `entry ${expectedSeq} was changed after it was written`;
  return undefined;
}
