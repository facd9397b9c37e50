import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestTls {
  certPath: string;
  keyPath: string;
  cert: string;
  key: string;
}

let cached: TestTls | undefined;

/**
 * A throwaway self-signed certificate for 127.0.0.1 and localhost, valid one day, made once per test
 * file (module). The real SDKs attach bearer tokens over https only, so the fakes must speak TLS; the
 * child process that runs the readers trusts this certificate through NODE_EXTRA_CA_CERTS.
 */
export function testTls(): TestTls {
  if (cached) return cached;
  const dir = mkdtempSync(join(tmpdir(), 'glasswatch-tls-'));
  const certPath = join(dir, 'cert.pem');
  const keyPath = join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1',
      '-subj', '/CN=localhost',
      '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout', keyPath, '-out', certPath,
    ],
    { stdio: 'pipe' },
  );
  cached = { certPath, keyPath, cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8') };
  return cached;
}
