import { AppErrors } from '../errors.js';

/** Which server a port belongs to, and the setting that moves it. */
export interface PortOwner {
  /** What listens there, for the message: "the API", "the MCP gateway". */
  readonly what: string;
  readonly host: string;
  readonly port: number;
  /** The environment variable that changes the port: PORT, GATEWAY_PORT. */
  readonly setting: string;
}

/**
 * Runs `listen`; a port already taken becomes `AKM_PORT_IN_USE`, a one-line error naming the
 * setting to change, instead of Node's `EADDRINUSE` stack trace.
 *
 * @example
 * await listenOrExplain(() => app.listen({ port: 8080 }), {
 *   what: 'the API', host: 'localhost', port: 8080, setting: 'PORT',
 * });
 */
export async function listenOrExplain<T>(listen: () => Promise<T>, owner: PortOwner): Promise<T> {
  try {
    return await listen();
  } catch (error) {
    if ((error as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE')
      throw AppErrors.AKM_PORT_IN_USE({ ...owner });
    throw error;
  }
}
