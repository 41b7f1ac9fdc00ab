import pg from 'pg';

/** What a channel listener is told. */
export interface NotificationHandlers {
  /** Each notification's payload, in the order PostgreSQL delivers them. */
  readonly onMessage: (payload: string) => void;
  /**
   * Called once the listening connection is back after it was lost (notifications sent
   * meanwhile are gone: catch up from the tables).
   */
  readonly onReconnect?: () => void;
  /** Called when the connection fails (it is retried every second until closed). */
  readonly onError?: (error: Error) => void;
}

/** A listening connection; `close` ends it. */
export interface ChannelListener {
  close(): Promise<void>;
}

/** How long to wait before connecting again after the listening connection is lost. */
const RETRY_MS = 1_000;

/**
 * `LISTEN` on one channel over a dedicated connection (a pooled one cannot keep listening),
 * reconnecting when it is lost. Resolves once the first `LISTEN` is in place, so a
 * notification sent after that is received.
 */
export async function listenOnChannel(
  url: string,
  channel: string,
  handlers: NotificationHandlers,
): Promise<ChannelListener> {
  let closed = false;
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  const quoted = `"${channel.replaceAll('"', '""')}"`;

  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: url });
    next.on('notification', (message) => {
      if (message.channel === channel) handlers.onMessage(message.payload ?? '');
    });
    const lost = (error?: Error): void => {
      if (client !== next) return;
      client = undefined;
      void next.end().catch(() => {});
      if (error !== undefined) handlers.onError?.(error);
      schedule();
    };
    next.on('error', lost);
    next.on('end', () => lost());
    try {
      await next.connect();
      await next.query(`LISTEN ${quoted}`);
    } catch (error) {
      await next.end().catch(() => {});
      throw error;
    }
    if (closed) {
      await next.end().catch(() => {});
      return;
    }
    client = next;
  };

  const schedule = (): void => {
    if (closed || retry !== undefined) return;
    retry = setTimeout(() => {
      retry = undefined;
      connect().then(
        () => handlers.onReconnect?.(),
        (error: unknown) => {
          handlers.onError?.(error as Error);
          schedule();
        },
      );
    }, RETRY_MS);
    retry.unref();
  };

  await connect();
  return {
    async close() {
      closed = true;
      if (retry !== undefined) clearTimeout(retry);
      const current = client;
      client = undefined;
      await current?.end().catch(() => {});
    },
  };
}
