import { computed, ref, type ComputedRef } from 'vue';

/** Where the session token is kept: this tab's sessionStorage (see docs/security.md). */
const STORAGE_KEY = 'akmatori.session';

/** A session as `POST /auth/login` and `POST /auth/setup` answer it. */
export interface Session {
  readonly token: string;
  readonly expires_at: string;
}

function stored(): Session | null {
  try {
    const value = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null') as Session | null;
    return typeof value?.token === 'string' ? value : null;
  } catch {
    return null;
  }
}

const current = ref<Session | null>(stored());

/** The session token, or null when logged out. */
export const sessionToken: ComputedRef<string | null> = computed(
  () => current.value?.token ?? null,
);

/** Keeps a new session (for this tab, until it is closed or the user logs out). */
export function keepSession(session: Session): void {
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  current.value = session;
}

/** Forgets the session. */
export function forgetSession(): void {
  sessionStorage.removeItem(STORAGE_KEY);
  current.value = null;
}
