import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileTenantReader, readSnapshotFile, SnapshotFileError, writeSnapshotFile } from '../../../bot/tenant/snapshot-file.js';
import { resolveTenantReader } from '../../../bot/tenant/resolve-tenant-reader.js';
import { account, signIn, snapshot, upn, userId } from '../../support/snapshot-builder.js';
import { tempDir } from '../../support/temp-dir.js';

let dir: { path: string; remove: () => void };
beforeEach(() => {
  dir = tempDir('glasswatch-snapshot-');
});
afterEach(() => dir.remove());

const file = (name = 'snapshot.json') => join(dir.path, name);

describe('readSnapshotFile', () => {
  it('reads back what writeSnapshotFile wrote', () => {
    const written = snapshot({ signIns: [signIn(1, '2026-11-20T10:00:00Z')] });
    writeSnapshotFile(file(), written);
    const read = readSnapshotFile(file());
    expect(read).toEqual({ ok: true, snapshot: written });
  });

  it('says when the file is missing, and how to make one', () => {
    const read = readSnapshotFile(file('absent.json'));
    expect(read.ok).toBe(false);
    expect(read.ok ? '' : read.message).toMatch(/cannot read the snapshot file .*absent\.json \(ENOENT\).*snapshot export/);
  });

  it('says when the file is not JSON', () => {
    writeFileSync(file(), '{ "schema": "glasswatch.snapshot.v1", ');
    const read = readSnapshotFile(file());
    expect(read.ok ? '' : read.message).toMatch(/is not valid JSON/);
  });

  it('names the JSON path of a schema error inside a known section, and the fix', () => {
    const broken = JSON.parse(JSON.stringify(snapshot())) as { accounts: Array<{ user: { value: { accountEnabled: unknown } } }> };
    const first = broken.accounts[0];
    if (!first) throw new Error('builder gave no account');
    first.user.value.accountEnabled = 'yes';
    writeFileSync(file(), JSON.stringify(broken));
    const read = readSnapshotFile(file());
    expect(read.ok).toBe(false);
    const message = read.ok ? '' : read.message;
    expect(message).toContain('accounts[0].user.value.accountEnabled');
    expect(message).toContain('Expected boolean');
    expect(message).toContain('glasswatch snapshot export');
  });

  it('names a wrong schema version at the top level', () => {
    writeFileSync(file(), JSON.stringify({ ...snapshot(), schema: 'glasswatch.snapshot.v0' }));
    const read = readSnapshotFile(file());
    expect(read.ok ? '' : read.message).toMatch(/schema: Invalid literal value/);
  });
});

describe('writeSnapshotFile', () => {
  it('replaces the file atomically and leaves no temporary file behind', () => {
    writeFileSync(file(), 'old content');
    writeSnapshotFile(file(), snapshot());
    expect(readdirSync(dir.path)).toEqual(['snapshot.json']);
    expect(JSON.parse(readFileSync(file(), 'utf8'))).toMatchObject({ schema: 'glasswatch.snapshot.v1' });
  });

  it('keeps the old file and cleans up when the write fails', () => {
    writeFileSync(file(), 'old content');
    const invalid = { ...snapshot(), takenAt: 42 };
    // A snapshot that does not validate is refused before anything touches the disk.
    expect(() => writeSnapshotFile(file(), JSON.parse(JSON.stringify(invalid)))).toThrow();
    expect(readFileSync(file(), 'utf8')).toBe('old content');
    expect(readdirSync(dir.path)).toEqual(['snapshot.json']);
  });

  it('fails when the folder does not exist, without leaving debris', () => {
    expect(() => writeSnapshotFile(join(dir.path, 'missing', 'x.json'), snapshot())).toThrow(/ENOENT/);
    expect(readdirSync(dir.path)).toEqual([]);
  });
});

describe('fileTenantReader', () => {
  const rows = [signIn(1, '2026-11-20T10:00:00Z'), signIn(2, '2026-11-19T10:00:00Z'), signIn(1, '2026-11-01T10:00:00Z')];

  it('returns only the accounts asked for, as asked, in the order asked', async () => {
    writeSnapshotFile(file(), snapshot({ signIns: rows }));
    const snap = await fileTenantReader(file(), 'file').snapshot([userId(2)]);
    expect(snap.accounts.map((a) => a.requested)).toEqual([userId(2)]);
    expect(snap.accounts[0]?.user).toMatchObject({ ok: true, value: { userPrincipalName: upn(2) } });
    expect(snap.signIns.ok && snap.signIns.value.map((r) => r.upn)).toEqual([upn(2)]);
    expect(snap.source).toBe('file');
  });

  it('reports an account missing from the file as unreadable, not as "no such user"', async () => {
    writeSnapshotFile(file(), snapshot({ accounts: [account(1)] }));
    const snap = await fileTenantReader(file(), 'file').snapshot([upn(1), 'bg-9@fabrikam.onmicrosoft.com']);
    expect(snap.accounts[1]).toMatchObject({
      requested: 'bg-9@fabrikam.onmicrosoft.com',
      user: { ok: false, reason: 'not in the snapshot file: re-export it with this account configured' },
    });
  });

  it('returns every account when none is asked for', async () => {
    writeSnapshotFile(file(), snapshot());
    expect((await fileTenantReader(file(), 'demo').snapshot([])).accounts).toHaveLength(2);
  });

  it('filters sign-ins by account and time, newest first', async () => {
    writeSnapshotFile(file(), snapshot({ signIns: [...rows].reverse() }));
    const found = await fileTenantReader(file(), 'file').signIns([upn(1)], new Date('2026-10-30T00:00:00Z'), new Date('2026-11-21T00:00:00Z'));
    expect(found.ok && found.value.map((r) => r.time)).toEqual(['2026-11-20T10:00:00Z', '2026-11-01T10:00:00Z']);
    const narrow = await fileTenantReader(file(), 'file').signIns([upn(1)], new Date('2026-11-10T00:00:00Z'), new Date('2026-11-21T00:00:00Z'));
    expect(narrow.ok && narrow.value).toHaveLength(1);
  });

  it('throws a SnapshotFileError with the message for a bad file', async () => {
    writeFileSync(file(), 'not json');
    await expect(fileTenantReader(file(), 'file').snapshot([])).rejects.toBeInstanceOf(SnapshotFileError);
  });
});

describe('resolveTenantReader', () => {
  it('uses GLASSWATCH_SNAPSHOT, relative to the working folder', async () => {
    writeSnapshotFile(file(), snapshot());
    const resolved = resolveTenantReader({ GLASSWATCH_SNAPSHOT: 'snapshot.json' }, dir.path);
    if (!resolved.ok) throw new Error(resolved.message);
    expect(resolved.reader.kind).toBe('file');
    expect((await resolved.reader.snapshot([])).tenantId).toBe(snapshot().tenantId);
  });

  it('says what to set when there is no reader', () => {
    const resolved = resolveTenantReader({}, dir.path);
    expect(resolved.ok ? '' : resolved.message).toMatch(/no tenant reader: pass --snapshot FILE.*AZURE_TENANT_ID, AZURE_CLIENT_ID/);
  });
});
