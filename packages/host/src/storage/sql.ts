/** The result of one SQL statement, the same shape on both backends. */
export interface SqlResult<Row = Record<string, unknown>> {
  /** Rows returned (empty for statements that return none). */
  readonly rows: Row[];
  /** Rows affected or returned. */
  readonly rowCount: number;
}

/**
 * Runs SQL with PostgreSQL's `$1, $2` placeholders. Without parameters the text may hold
 * several statements; their results then come back as an array, as `pg` does.
 */
export type SqlExecutor = <Row = Record<string, unknown>>(
  text: string,
  params?: readonly unknown[],
) => Promise<SqlResult<Row>>;

/** How a backend runs SQL on one of its raw connections. */
export type DriverQuery = (
  connection: unknown,
  text: string,
  params: readonly unknown[] | undefined,
) => Promise<unknown>;
