/**
 * The first process inside the agent sandbox, run with `node --input-type=module -e`: it
 * listens on `<address>:<port>` (loopback of the sandbox's own network namespace) and carries
 * each connection to the Unix socket `<socket>` that leads out to the gateway, then starts
 * `<command…>` (Codex) with inherited stdio and exits as it exits. Kept to plain Node built-ins
 * because it runs with nothing of the worker's code mounted.
 *
 * Arguments: `<address> <port> <socket> <command> [args…]`.
 */
export const SANDBOX_RELAY_SCRIPT = `
import { createServer, connect } from 'node:net';
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
const [address, port, socket, command, ...args] = process.argv.slice(1);
const fail = (message, code) => {
  process.stderr.write('akmatori sandbox: ' + message + '\\n');
  process.exit(code);
};
const server = createServer((inner) => {
  const outer = connect(socket);
  const cut = () => { inner.destroy(); outer.destroy(); };
  inner.on('error', cut); outer.on('error', cut);
  inner.on('close', cut); outer.on('close', cut);
  inner.pipe(outer); outer.pipe(inner);
});
server.on('error', (error) => fail('cannot listen on ' + address + ':' + port + ': ' + error.message, 70));
server.listen({ host: address, port: Number(port) }, () => {
  const child = spawn(command, args, { stdio: 'inherit' });
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('error', (error) => fail('cannot start ' + command + ': ' + error.message, 127));
  child.on('exit', (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 1)));
});
`;
