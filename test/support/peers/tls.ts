import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeTempDir, requireBinary } from './process.js';

/** A PEM certificate and its private key. */
export interface CertificateAndKey {
  readonly cert: string;
  readonly key: string;
}

/** A test CA with a server certificate for 127.0.0.1 and a client certificate, all PEM. */
export interface TestCertificates {
  readonly ca: CertificateAndKey;
  readonly server: CertificateAndKey;
  readonly client: CertificateAndKey;
}

/**
 * Makes a CA and two certificates it signs, valid for a day, with `openssl`: one for a server
 * at 127.0.0.1 (subjectAltName IP:127.0.0.1) and one for a client (CN `akmatori-test-client`),
 * for mutual TLS tests.
 *
 * @example
 * ```ts
 * const certs = testCertificates();
 * https.createServer({ cert: certs.server.cert, key: certs.server.key, ca: certs.ca.cert, requestCert: true });
 * ```
 */
export function testCertificates(): TestCertificates {
  requireBinary('/usr/bin/openssl', 'openssl');
  const dir = makeTempDir('tls');
  const file = (name: string): string => path.join(dir.path, name);
  const openssl = (...args: string[]): void => {
    execFileSync('/usr/bin/openssl', args, { stdio: 'pipe' });
  };
  try {
    openssl(
      ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1'],
      ...['-keyout', file('ca.key'), '-out', file('ca.crt'), '-subj', '/CN=akmatori-test-ca'],
    );
    const sign = (name: string, subject: string, extensions: string): void => {
      openssl(
        ...['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', file(`${name}.key`)],
        ...['-out', file(`${name}.csr`), '-subj', subject],
      );
      // openssl x509 reads the extensions from a file.
      const ext = file(`${name}.ext`);
      writeFileSync(ext, `${extensions}\n`);
      openssl(
        ...['x509', '-req', '-in', file(`${name}.csr`), '-CA', file('ca.crt')],
        ...['-CAkey', file('ca.key'), '-CAcreateserial', '-days', '1'],
        ...['-out', file(`${name}.crt`), '-extfile', ext],
      );
    };
    sign('server', '/CN=127.0.0.1', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth');
    sign('client', '/CN=akmatori-test-client', 'extendedKeyUsage=clientAuth');
    const pair = (name: string): CertificateAndKey => ({
      cert: readFileSync(file(`${name}.crt`), 'utf8'),
      key: readFileSync(file(`${name}.key`), 'utf8'),
    });
    return { ca: pair('ca'), server: pair('server'), client: pair('client') };
  } finally {
    dir.remove();
  }
}
