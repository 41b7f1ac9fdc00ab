import { api, call } from '../api/client';
import { forgetSession, keepSession, sessionToken } from './session-token';

/** Whether first-run setup is still needed, and whether it needs the one-time setup code. */
export interface SetupStatus {
  readonly setup_required: boolean;
  readonly setup_code_required: boolean;
}

/** `GET /auth/setup-status`. */
export function setupStatus(): Promise<SetupStatus> {
  return call(api.GET('/auth/setup-status'));
}

/** Logs in and keeps the session for this tab. */
export async function logIn(username: string, password: string): Promise<void> {
  keepSession(await call(api.POST('/auth/login', { body: { username, password } })));
}

/** Sets the first admin password (once) and keeps the session it answers with. */
export async function setUp(password: string, setupCode: string | undefined): Promise<void> {
  const body = setupCode === undefined ? { password } : { password, setup_code: setupCode };
  keepSession(await call(api.POST('/auth/setup', { body })));
}

/**
 * Forgets the session here, then ends it on the server (at once, on every replica). Calls
 * still in flight with it get 401s that no longer count as the session ending elsewhere.
 */
export async function logOut(): Promise<void> {
  const token = sessionToken.value;
  forgetSession();
  if (token === null) return;
  await call(api.POST('/auth/logout', { headers: { authorization: `Bearer ${token}` } }));
}
