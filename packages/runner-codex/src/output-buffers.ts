/**
 * Splits a byte stream into lines (without the `\n`), decoding each whole line as UTF-8. A
 * line longer than `maxLineBytes` is dropped: `onOversize` gets its length once it ends,
 * and memory stays bounded while it streams in.
 *
 * @example
 * ```ts
 * const lines = new LineSplitter(1 << 20, (line) => handle(line), (bytes) => warn(bytes));
 * child.stdout.on('data', (chunk) => lines.push(chunk));
 * child.stdout.on('end', () => lines.end());
 * ```
 */
export class LineSplitter {
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #droppedBytes = 0;

  constructor(
    private readonly maxLineBytes: number,
    private readonly onLine: (line: string) => void,
    private readonly onOversize: (bytes: number) => void,
  ) {}

  /** Feeds a chunk of output. */
  push(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(0x0a, start);
      if (newline === -1) break;
      this.#append(chunk.subarray(start, newline));
      this.#emit();
      start = newline + 1;
    }
    if (start < chunk.length) this.#append(chunk.subarray(start));
  }

  /** Ends the stream: a last line without `\n` is emitted too. */
  end(): void {
    if (this.#pendingBytes > 0 || this.#droppedBytes > 0) this.#emit();
  }

  #append(piece: Buffer): void {
    if (this.#droppedBytes > 0 || this.#pendingBytes + piece.length > this.maxLineBytes) {
      this.#droppedBytes += this.#pendingBytes + piece.length;
      this.#pending = [];
      this.#pendingBytes = 0;
      return;
    }
    if (piece.length > 0) {
      this.#pending.push(Buffer.from(piece));
      this.#pendingBytes += piece.length;
    }
  }

  #emit(): void {
    if (this.#droppedBytes > 0) {
      const dropped = this.#droppedBytes;
      this.#droppedBytes = 0;
      this.onOversize(dropped);
      return;
    }
    const line = Buffer.concat(this.#pending).toString('utf8');
    this.#pending = [];
    this.#pendingBytes = 0;
    this.onLine(line);
  }
}

/**
 * Keeps the last `maxBytes` of a byte stream (say, a child's stderr).
 *
 * @example
 * ```ts
 * const stderr = new TailBuffer(64 * 1024);
 * child.stderr.on('data', (chunk) => stderr.push(chunk));
 * stderr.text();
 * ```
 */
export class TailBuffer {
  #tail: Buffer = Buffer.alloc(0);

  constructor(private readonly maxBytes: number) {}

  /** Adds a chunk, forgetting what falls out of the window. */
  push(chunk: Buffer): void {
    const joined = Buffer.concat([this.#tail, chunk]);
    this.#tail =
      joined.length > this.maxBytes ? joined.subarray(joined.length - this.maxBytes) : joined;
  }

  /** The kept bytes as UTF-8 (a character cut at the window's start shows as U+FFFD). */
  text(): string {
    return this.#tail.toString('utf8');
  }
}
