import { describe, expect, it } from 'vitest';
import { judgeCommand, MAX_COMMAND_LENGTH, type CommandVerdict } from './command-policy.js';

/** The reasons of a write verdict, or a failure that shows what the verdict was. */
async function writeReasons(command: string): Promise<string> {
  const verdict: CommandVerdict = await judgeCommand(command);
  expect(verdict.kind, `${command} should need approval, got ${JSON.stringify(verdict)}`).toBe(
    'write',
  );
  return verdict.kind === 'write' ? verdict.reasons.join('\n') : '';
}

/** The network destinations the read-only examples below may reach. */
const NETWORK_ALLOWLIST = ['example.com', '8.8.8.8', '127.0.0.1:8080'];

/**
 * Commands an agent runs while investigating an incident: all must run without approval
 * (the network clients among them because their destinations are on the allowlist).
 */
const READ_ONLY_COMMANDS = [
  'uptime',
  'df -h',
  'free -m',
  'ps aux | grep nginx | grep -v grep',
  'journalctl -u nginx --since "1 hour ago" --no-pager | tail -n 50',
  'systemctl status nginx',
  'ss -tlnp',
  'cat /var/log/syslog | grep -i error | tail -20',
  "find /var/log -name '*.log' -mtime -1",
  "awk '{print $1}' /var/log/nginx/access.log | sort | uniq -c | sort -rn | head",
  "sed -n '1,20p' /etc/nginx/nginx.conf",
  'ls -la /etc',
  'uname -a',
  'hostname -f',
  'whoami; id',
  'date -u +%Y-%m-%dT%H:%M:%S',
  'du -sh /var/log/* | sort -h | tail',
  'grep -rn "error" /var/log/nginx/',
  'grep "timeout$" app.log',
  "grep -E 'error|warn' *.log",
  'wc -l /var/log/syslog',
  'ip -br a',
  'ip route get 8.8.8.8',
  'ping -c 3 example.com',
  'dig +short example.com',
  'curl -sSI https://example.com',
  "curl -s -H 'Accept: application/json' http://127.0.0.1:8080/health",
  "docker ps -a --format '{{.Names}}'",
  'docker logs --tail 100 web',
  'docker stats --no-stream',
  'kubectl get pods -n kube-system -o wide',
  'kubectl logs deploy/api --tail=100 -c app',
  'top -b -n 1 | head -20',
  'vmstat 1 5',
  'dmesg -T | tail',
  'journalctl -p err -b --no-pager -n 50',
  'systemctl list-units --failed',
  'service nginx status',
  'netstat -tulpn',
  'lsof -i :80',
  "sed -n '/ERROR/,/END/p' app.log",
  "sed 's/password=[^ ]*/password=***/g' app.log",
  "awk -F: '$3 >= 1000 {print $1}' /etc/passwd",
  "awk '/error|warn/ {c++} END {print c}' app.log",
  'awk \'{s+=$10} END {print s/1024/1024 " MB"}\' access.log',
  'ls /var/log 2>/dev/null | wc -l',
  'journalctl -u nginx 2>&1 | grep -c error',
  'cat < /etc/hosts',
  'cd /var/log && ls -la',
  '! grep -q error app.log',
  '/usr/bin/ls -la',
  'tar -tzf backup.tar.gz | head',
  'tar tvf backup.tar',
  'zcat /var/log/syslog.2.gz | grep error',
  "jq '.items[] | .name' data.json",
  'getent passwd www-data',
  'stat -c %s /var/log/syslog',
  'find /etc -type f -newer /etc/hosts -print',
  'ls 2>&1 >/dev/null',
  'echo \\$HOME \'$HOME\' "\\$HOME" "price$"',
  "l's' -la",
  'journalctl -b -1 -n 20 --no-pager',
  'journalctl --boot all --lines 5',
  'lsblk /dev/sda',
  'blkid /dev/nvme0n1p1',
  'ls -l /dev/',
  'df -h /dev/mapper/vg0-root',
  'cat /dev/null',
];

describe('judgeCommand: read-only commands', () => {
  it.each(READ_ONLY_COMMANDS)('runs at once: %s', async (command) => {
    const verdict = await judgeCommand(command, { networkAllowlist: NETWORK_ALLOWLIST });
    expect(verdict.kind, `${command} should be read-only, got ${JSON.stringify(verdict)}`).toBe(
      'read',
    );
  });

  it('lists each program of a read-only command once, in order', async () => {
    expect(await judgeCommand('ps aux | grep nginx | grep -v grep')).toEqual({
      kind: 'read',
      programs: ['ps', 'grep'],
    });
  });

  it('judges commands given at the same time independently', async () => {
    const verdicts = await Promise.all(
      ['uptime', 'rm x', "ls 'x", 'df -h'].map((command) => judgeCommand(command)),
    );
    expect(verdicts.map((verdict) => verdict.kind)).toEqual(['read', 'write', 'refused', 'read']);
  });

  it('names a program given by a system path by its basename', async () => {
    expect(await judgeCommand('/usr/bin/ls -la')).toEqual({ kind: 'read', programs: ['ls'] });
  });
});

/**
 * Commands that must never run without approval, each with a piece of the reason the
 * operator is shown.
 */
const WRITE_COMMANDS: ReadonlyArray<{ readonly command: string; readonly reason: string }> = [
  // Redirections and here-strings
  { command: 'cat /etc/passwd > /tmp/x', reason: 'redirection ">" writes a file: "/tmp/x"' },
  { command: 'ls >> /tmp/x', reason: 'redirection ">>" writes a file' },
  { command: 'ls &> /tmp/x', reason: 'redirection "&>" writes a file' },
  { command: 'ls >| /tmp/x', reason: 'redirection ">|" writes a file' },
  { command: 'ls 2> /tmp/errors', reason: 'writes a file: "/tmp/errors"' },
  { command: 'ls >&/tmp/x', reason: 'redirection ">&" writes a file' },
  { command: 'find / 2>&1 -delete', reason: 'must be the last word of its command' },
  { command: 'ls 2>&3', reason: 'duplicates an unusual descriptor' },
  { command: 'cat < /dev/tcp/10.0.0.1/80', reason: 'opens a network connection' },
  { command: 'cat <<< "secret"', reason: 'here-string' },
  // Substitutions and expansions
  { command: 'echo $(rm x)', reason: 'command substitution "$(rm x)" runs a hidden command' },
  { command: 'ls `rm x`', reason: 'command substitution' },
  { command: 'echo "$(rm x)"', reason: 'command substitution' },
  { command: 'diff <(ls a) <(rm b)', reason: 'process substitution' },
  { command: 'cat >(rm x)', reason: 'process substitution' },
  { command: 'ls $HOME', reason: 'variable expansion "$HOME"' },
  { command: 'ls ${HOME}', reason: 'parameter expansion' },
  { command: '$CMD', reason: 'variable expansion' },
  { command: "ls $'\\x2f'", reason: 'ANSI-C quoting' },
  { command: 'ls {a,b}', reason: 'brace expansion' },
  // Structure: background jobs, chains, groups, control flow, assignments, comments
  { command: 'ls &', reason: 'background "&"' },
  { command: 'ls & rm -rf /tmp/x', reason: 'background "&"' },
  { command: 'ls; rm -rf /', reason: 'program "rm" is not on the read-only list' },
  { command: 'ls && rm x', reason: 'program "rm"' },
  { command: 'ls || reboot', reason: 'program "reboot"' },
  { command: '! rm x', reason: 'program "rm"' },
  { command: 'ls |& cat', reason: 'operator "|&"' },
  { command: '(rm x)', reason: 'subshell' },
  { command: '(ls)', reason: 'subshell' },
  { command: '{ ls; }', reason: 'command group' },
  { command: 'f() { rm x; }; f', reason: 'function definition' },
  { command: 'if true; then rm x; fi', reason: 'control flow "if"' },
  { command: 'for f in a b; do rm $f; done', reason: 'loop' },
  { command: 'while true; do ls; done', reason: 'loop' },
  { command: 'case x in x) rm y;; esac', reason: 'control flow "case"' },
  { command: '[[ -f x ]] && rm x', reason: 'test "[[ ... ]]"' },
  { command: '((x = 1))', reason: 'arithmetic command' },
  { command: 'FOO=bar ls', reason: 'assignment' },
  { command: 'export FOO=bar', reason: 'declaration' },
  { command: 'ls # ; rm x', reason: 'comment' },
  // Wrappers and interpreters
  { command: 'ls | sh', reason: 'program "sh" runs other commands or code' },
  { command: 'bash -c ls', reason: 'program "bash" runs other commands' },
  { command: "sh -c 'rm -rf /'", reason: 'program "sh"' },
  { command: "python3 -c 'import os'", reason: 'program "python3"' },
  { command: 'perl -e \'unlink "x"\'', reason: 'program "perl"' },
  { command: 'env rm x', reason: 'program "env"' },
  { command: 'find / -name core | xargs rm', reason: 'program "xargs"' },
  { command: 'sudo ls', reason: 'program "sudo"' },
  { command: 'su -c ls root', reason: 'program "su"' },
  { command: 'nohup ls', reason: 'program "nohup"' },
  { command: 'timeout 5 ls', reason: 'program "timeout"' },
  { command: 'watch ls', reason: 'program "watch"' },
  { command: 'time ls', reason: 'program "time"' },
  { command: 'exec ls', reason: 'program "exec"' },
  { command: 'eval ls', reason: 'program "eval"' },
  { command: '. ./script.sh', reason: 'program "."' },
  // Programs that change things, or that are not known to be read-only
  { command: 'rm -rf /tmp/x', reason: 'program "rm" is not on the read-only list' },
  { command: 'mv a b', reason: 'program "mv"' },
  { command: 'chmod 777 /etc/passwd', reason: 'program "chmod"' },
  { command: 'kill -9 1', reason: 'program "kill"' },
  { command: 'reboot', reason: 'program "reboot"' },
  { command: 'dd if=/dev/zero of=/dev/sda', reason: 'program "dd"' },
  { command: 'truncate -s 0 /var/log/syslog', reason: 'program "truncate"' },
  { command: 'echo x | tee -a /etc/hosts', reason: 'program "tee"' },
  { command: 'git pull', reason: 'program "git"' },
  { command: 'less /var/log/syslog', reason: 'program "less"' },
  { command: '/tmp/ls', reason: 'program path "/tmp/ls" is outside' },
  { command: './ls', reason: 'outside' },
  { command: '/usr/bin/rm x', reason: 'program "rm"' },
  // Read-only programs with options or arguments that write, run code or never end
  { command: 'find / -delete', reason: 'find -delete deletes files' },
  { command: "find / -name x -exec rm '{}' ';'", reason: 'find -exec runs a command' },
  { command: "find . -execdir rm x ';'", reason: 'find -execdir' },
  { command: 'find / -fprint /tmp/x', reason: 'find -fprint writes a file' },
  { command: "sed -i 's/a/b/' f", reason: 'sed -i edits files in place' },
  { command: 'sed -ni p f', reason: 'sed -i edits files in place' },
  { command: 'sed --in s/a/b/ f', reason: 'sed --in edits files in place' },
  { command: "sed 's/a/b/w /tmp/x' f", reason: 'the s flag "w" writes a file' },
  { command: "sed 's/.*/id/e' f", reason: 'the s flag "e"' },
  { command: "sed -n '1w /tmp/x' f", reason: 'the command "w" writes a file' },
  { command: "sed -e p -e 'e rm x' f", reason: 'the command "e" runs a shell command' },
  { command: 'sed -f script.sed f', reason: 'script file' },
  { command: 'awk \'{system("rm x")}\' f', reason: 'system() runs a shell command' },
  { command: 'awk \'{print > "/tmp/x"}\' f', reason: 'print with ">" writes a file' },
  { command: 'awk \'{printf "%s", $1 >> "/tmp/x"}\' f', reason: 'printf with ">>"' },
  { command: 'awk \'{print | "sh"}\' f', reason: 'a pipe "|" runs a command' },
  { command: 'awk \'BEGIN{getline l < "/etc/shadow"}\'', reason: 'getline' },
  { command: 'awk \'BEGIN{f="system"; @f("rm x")}\'', reason: 'unexpected character "@"' },
  { command: 'awk -f prog.awk f', reason: 'program file' },
  { command: 'tail -f /var/log/syslog', reason: 'tail -f follows the file and never ends' },
  { command: 'tail --follow=name x', reason: 'tail --follow' },
  { command: 'sort -o /etc/passwd f', reason: 'sort -o writes its output to a file' },
  { command: 'uniq in.txt out.txt', reason: 'uniq with more than 1 file' },
  { command: 'date -s "2020-01-01 00:00"', reason: 'date -s sets the clock' },
  { command: 'hostname evil', reason: 'sets the host name' },
  { command: 'mount /dev/sda1 /mnt', reason: 'mounts a file system' },
  {
    command: 'systemctl restart nginx',
    reason: 'systemctl "restart" is not a read-only systemctl command',
  },
  { command: 'systemctl -t status stop nginx', reason: '"stop"' },
  { command: 'service nginx restart', reason: 'service NAME status' },
  {
    command: 'journalctl --vacuum-time=1d',
    reason: 'journalctl --vacuum-time deletes journal files',
  },
  { command: 'journalctl --vacuum-s=1G', reason: 'deletes journal files' },
  { command: 'journalctl -f -u nginx', reason: 'journalctl -f follows the journal' },
  { command: 'dmesg -c', reason: 'clears the kernel ring buffer' },
  { command: 'ip link set eth0 down', reason: 'ip link "set"' },
  { command: 'ip addr add 10.0.0.1/24 dev eth0', reason: 'ip address "add"' },
  { command: 'ip -batch cmds', reason: 'option "-batch"' },
  { command: 'ping example.com', reason: 'ping needs -c N' },
  { command: 'top', reason: 'top without -b -n N' },
  { command: 'vmstat 1', reason: 'never ends' },
  { command: 'curl -o /tmp/x https://example.com', reason: 'curl -o writes a file' },
  { command: 'curl -sSO https://example.com/x', reason: 'curl -O writes a file' },
  { command: 'curl -X POST https://example.com/api', reason: 'not a GET or HEAD request' },
  { command: 'curl -d a=b https://example.com', reason: 'curl -d sends data' },
  {
    command: 'curl gopher://127.0.0.1:6379/_FLUSHALL',
    reason: 'is not a plain http:// or https:// URL',
  },
  // Network clients reach only destinations on the instance's network_allowlist (none here)
  { command: 'curl -sSI https://example.com', reason: 'not on the network_allowlist' },
  { command: 'ping -c 3 example.com', reason: 'ping sends packets to "example.com"' },
  { command: 'dig +short example.com', reason: 'dig looks up "example.com"' },
  {
    command: 'kubectl delete pod x',
    reason: 'kubectl "delete" is not a read-only kubectl command',
  },
  { command: 'kubectl logs -f api', reason: 'kubectl -f' },
  { command: 'kubectl get pods -w', reason: 'watches' },
  { command: 'docker rm x', reason: 'docker "rm" is not a read-only docker command' },
  { command: 'docker exec web rm x', reason: 'docker "exec"' },
  { command: 'docker logs -f web', reason: 'docker logs -f follows the log' },
  { command: 'docker stats', reason: 'without --no-stream' },
  { command: 'tar -xf a.tar', reason: 'tar -x extracts or writes archives' },
  { command: 'tar tfI a.tar sh', reason: 'tar option "-I"' },
  { command: 'tar -tf a.tar --to-command=sh', reason: '--to-command' },
  { command: 'gzip -d x.gz', reason: 'gzip option "-d"' },
  { command: 'xxd -r dump bin', reason: 'xxd -r' },
  { command: 'ss -K dst 10.0.0.1', reason: 'closes sockets' },
  // Devices and kernel files whose opening acts on the machine
  { command: 'cat /dev/watchdog', reason: 'opens the device "/dev/watchdog"' },
  { command: 'head -c1 /dev//watchdog0', reason: 'opens the device' },
  { command: 'cat < /dev/watchdog', reason: 'opens a device or kernel file' },
  { command: 'cd / && cat dev/watchdog', reason: 'opens the device "dev/watchdog"' },
  { command: 'cd /dev && cat watchdog', reason: 'cd into "/dev"' },
  { command: 'cat /dev/*', reason: 'may expand to any device' },
  { command: 'cat /proc/kmsg', reason: "changes the kernel's state when read" },
  { command: 'grep -f /dev/watchdog x', reason: 'opens the device' },
  { command: 'journalctl --file=/dev/watchdog', reason: 'opens the device' },
  { command: 'journalctl -b -1 --vacuum-size=1', reason: 'deletes journal files' },
  // Globs that could expand into options or extra operands
  { command: 'tail *', reason: 'glob "*" could expand to an option of tail' },
  { command: 'sed -n p *', reason: 'could expand to an option of sed' },
  { command: 'awk /tmp/* f', reason: 'awk program must not be a glob pattern' },
  { command: 'uniq /tmp/*', reason: 'uniq takes no glob pattern' },
];

describe('judgeCommand: commands outside the read-only policy', () => {
  it.each(WRITE_COMMANDS)('needs approval: $command', async ({ command, reason }) => {
    expect(await writeReasons(command)).toContain(reason);
  });

  it('reports every problem of a command, not just the first', async () => {
    const reasons = await writeReasons('rm x > /tmp/out');
    expect(reasons).toContain('program "rm"');
    expect(reasons).toContain('redirection ">" writes a file');
  });
});

describe('judgeCommand: commands that cannot be judged', () => {
  it.each([
    { name: 'an empty command', command: '', reason: 'empty' },
    { name: 'only blanks', command: '   ', reason: 'empty' },
    { name: 'a NUL byte', command: 'ls\u0000rm x', reason: 'U+0000' },
    { name: 'a line break', command: 'ls\nrm -rf /', reason: 'U+000A' },
    { name: 'a carriage return', command: 'ls\rrm -rf /', reason: 'U+000D' },
    { name: 'a here-document', command: 'cat <<EOF\nrm x\nEOF', reason: 'line breaks' },
    { name: 'an escape sequence', command: 'ls \u001b[2J', reason: 'U+001B' },
    {
      name: 'an unterminated quote',
      command: "ls 'unterminated",
      reason: 'not valid shell syntax',
    },
    {
      name: 'an unterminated double quote',
      command: 'ls "unterminated',
      reason: 'not valid shell syntax',
    },
    { name: 'a dangling &&', command: 'ls &&', reason: 'incomplete' },
    { name: 'a dangling pipe', command: 'ls |', reason: 'incomplete' },
    { name: 'an unclosed command substitution', command: 'echo $(rm x', reason: 'incomplete' },
    { name: 'an unclosed if', command: 'if true; then ls', reason: 'shell syntax' },
    { name: 'a here-document without a body', command: 'cat <<EOF', reason: 'shell syntax' },
    { name: 'a zsh glob qualifier', command: 'ls *(e:rm:)', reason: 'shell syntax' },
  ])('refuses $name', async ({ command, reason }) => {
    const verdict = await judgeCommand(command);
    expect(
      verdict.kind,
      `${JSON.stringify(command)} should be refused, got ${JSON.stringify(verdict)}`,
    ).toBe('refused');
    expect(verdict.kind === 'refused' ? verdict.reason : '').toContain(reason);
  });

  it(`refuses a command longer than ${MAX_COMMAND_LENGTH} characters`, async () => {
    const verdict = await judgeCommand(`ls ${'a'.repeat(MAX_COMMAND_LENGTH)}`);
    expect(verdict).toEqual({
      kind: 'refused',
      reason: expect.stringContaining(`at most ${MAX_COMMAND_LENGTH}`),
    });
  });

  it(`judges a command of exactly ${MAX_COMMAND_LENGTH} characters`, async () => {
    const command = `ls ${'a'.repeat(MAX_COMMAND_LENGTH - 3)}`;
    expect(await judgeCommand(command)).toEqual({ kind: 'read', programs: ['ls'] });
  });
});
