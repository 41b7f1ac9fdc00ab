import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { HostFault } from '../fault.js';
import { hostPathSchema } from '../fault.js';
import { LIBFAKETIME, requireFile } from '../binaries.js';
import { writeFileLines } from '../shell.js';

const run = promisify(execFile);

/** `expired-certificate`: nginx serving HTTPS with a certificate that expired days ago. */
export interface ExpiredCertificateFault {
  readonly kind: 'expired-certificate';
  /** The certificate's name (CN and subjectAltName), e.g. `shop.example.com`. */
  readonly common_name: string;
  /** Days since it expired (1-3650). */
  readonly expired_days_ago: number;
  /** How long it was valid (1-825 days, default 90). */
  readonly valid_days?: number;
  /** Loopback port nginx serves it on inside the host (default 443). */
  readonly port?: number;
  readonly certificate_path?: string;
  readonly key_path?: string;
}

/**
 * Makes a certificate that really expired, issued by an internal CA the host trusts (openssl
 * run under libfaketime, its clock set back to the issue date), and starts nginx inside the host serving it on 127.0.0.1:`port`, so
 * `openssl s_client` reports "certificate has expired" and `openssl x509 -enddate` shows the date.
 *
 * @example
 * ```ts
 * await expiredCertificate.prepare({ kind: 'expired-certificate', common_name: 'shop.example.com', expired_days_ago: 3 }, context);
 * ```
 */
export const expiredCertificate: HostFault<ExpiredCertificateFault> = {
  kind: 'expired-certificate',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['kind', 'common_name', 'expired_days_ago'],
    properties: {
      kind: { const: 'expired-certificate' },
      common_name: { type: 'string', pattern: '^[A-Za-z0-9*][A-Za-z0-9.-]{0,200}$' },
      expired_days_ago: { type: 'integer', minimum: 1, maximum: 3650 },
      valid_days: { type: 'integer', minimum: 1, maximum: 825 },
      port: { type: 'integer', minimum: 1, maximum: 65535 },
      certificate_path: hostPathSchema,
      key_path: hostPathSchema,
    },
  },
  async prepare(spec, context) {
    requireFile(LIBFAKETIME, 'libfaketime');
    const validDays = spec.valid_days ?? 90;
    const staged = (name: string): string =>
      path.join(context.stageDir, `${spec.common_name}.${name}`);
    // Everything is made with the clock set back to when the certificate was issued.
    const env = {
      ...process.env,
      LD_PRELOAD: LIBFAKETIME,
      FAKETIME: `-${validDays + spec.expired_days_ago}d`,
      FAKETIME_DONT_FAKE_MONOTONIC: '1',
    };
    const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    await run(
      'openssl',
      [
        'req',
        '-x509',
        ...ecKey,
        '-days',
        '3650',
        '-subj',
        `/O=Example Internal/CN=Example Internal CA`,
        '-keyout',
        staged('ca.key'),
        '-out',
        staged('ca.crt'),
      ],
      { env },
    );
    await run(
      'openssl',
      [
        'req',
        '-new',
        ...ecKey,
        '-subj',
        `/CN=${spec.common_name}`,
        '-keyout',
        staged('key'),
        '-out',
        staged('csr'),
      ],
      { env },
    );
    writeFileSync(
      staged('ext'),
      `subjectAltName=DNS:${spec.common_name}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`,
    );
    await run(
      'openssl',
      [
        'x509',
        '-req',
        '-in',
        staged('csr'),
        '-CA',
        staged('ca.crt'),
        '-CAkey',
        staged('ca.key'),
        '-CAcreateserial',
        '-days',
        String(validDays),
        '-extfile',
        staged('ext'),
        '-out',
        staged('crt'),
      ],
      { env },
    );
    const stagedKey = staged('key');
    const stagedCertificate = staged('crt');
    const certificate = spec.certificate_path ?? `/etc/ssl/certs/${spec.common_name}.pem`;
    const key = spec.key_path ?? `/etc/ssl/private/${spec.common_name}.key`;
    const port = spec.port ?? 443;
    const site = [
      'server {',
      `    listen 127.0.0.1:${port} ssl;`,
      `    server_name ${spec.common_name};`,
      `    ssl_certificate ${certificate};`,
      `    ssl_certificate_key ${key};`,
      '    location / {',
      '        return 200 "ok\\n";',
      '    }',
      '}',
      '',
    ].join('\n');
    return {
      script: [
        ...writeFileLines(certificate, readFileSync(stagedCertificate, 'utf8'), '0644'),
        ...writeFileLines(key, readFileSync(stagedKey, 'utf8'), '0600'),
        // The issuing CA is trusted on the host, as a company's internal CA would be, so
        // clients fail on the expiry itself, not on an unknown issuer.
        ...writeFileLines(
          '/etc/ssl/internal/example-internal-ca.crt',
          readFileSync(staged('ca.crt'), 'utf8'),
          '0644',
        ),
        'cat /etc/ssl/internal/example-internal-ca.crt >> /etc/ssl/certs/ca-certificates.crt',
        ...writeFileLines(`/etc/nginx/sites-enabled/${spec.common_name}`, site),
        'mkdir -p /var/log/nginx /var/lib/nginx',
        // Started now, so a bad-config fault listed later breaks the next reload, not this start.
        'nginx -q',
      ],
    };
  },
};
