// The images' HEALTHCHECK: `node /app/healthcheck.mjs api|gateway|worker`. Exits 0 when healthy.
// - api: GET /ready on the API's port (the database answers, no migration pending);
// - gateway: GET /health on the gateway's port, with the host name workers use (GATEWAY_URL),
//   since the gateway answers only the host names it is reached by;
// - worker: the API it works for answers GET /health (the worker has no port of its own).
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

const role = process.argv[2];
const env = process.env;

/** Where to look for each role: the URL and the Host header to send. */
function target() {
  if (role === 'api') return { url: `http://127.0.0.1:${env.PORT || 8080}/ready` };
  if (role === 'gateway') {
    const reachedAs = new URL(env.GATEWAY_URL || `http://127.0.0.1:${env.GATEWAY_PORT || 8081}`);
    return { url: `http://127.0.0.1:${env.GATEWAY_PORT || 8081}/health`, host: reachedAs.host };
  }
  if (role === 'worker')
    return { url: `${(env.AKMATORI_API_URL || '').replace(/\/+$/, '')}/health` };
  throw new Error(`usage: healthcheck.mjs api|gateway|worker (got ${role})`);
}

const { url, host } = target();
const request = url.startsWith('https:') ? httpsRequest : httpRequest;
const req = request(url, { timeout: 4000, headers: host ? { host } : {} }, (res) => {
  res.resume();
  process.exit(res.statusCode === 200 ? 0 : 1);
});
req.on('timeout', () => req.destroy(new Error('timed out')));
req.on('error', (error) => {
  process.stderr.write(`${role} unhealthy: ${error.message}\n`);
  process.exit(1);
});
req.end();
