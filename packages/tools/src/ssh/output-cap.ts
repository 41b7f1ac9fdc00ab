/** Bytes of stdout, and separately of stderr, kept per host: 64 KiB. */
export const OUTPUT_LIMIT_BYTES = 64 * 1024;

/**
 * Collects a stream's output up to a byte limit: keeps the head, counts the rest.
 *
 * @example
 * ```ts
 * const cap = new OutputCap(4);
 * cap.add(Buffer.from('abcdef'));
 * cap.text(); // 'abcd\n[output truncated: 2 more bytes]'
 * ```
 */
export class OutputCap {
  readonly #limit: number;
  readonly #chunks: Buffer[] = [];
  #kept = 0;
  #dropped = 0;

  constructor(limitBytes: number = OUTPUT_LIMIT_BYTES) {
    this.#limit = limitBytes;
  }

  /** Adds a chunk; what does not fit under the limit is only counted. */
  add(chunk: Buffer): void {
    const room = this.#limit - this.#kept;
    if (room > 0) {
      const head = chunk.length <= room ? chunk : chunk.subarray(0, room);
      this.#chunks.push(head);
      this.#kept += head.length;
    }
    this.#dropped += Math.max(0, chunk.length - Math.max(0, room));
  }

  /** True when some output was dropped. */
  get truncated(): boolean {
    return this.#dropped > 0;
  }

  /** Bytes dropped past the limit. */
  get droppedBytes(): number {
    return this.#dropped;
  }

  /** The kept output as UTF-8, with `[output truncated: N more bytes]` when some was dropped. */
  text(): string {
    const head = Buffer.concat(this.#chunks).toString('utf8');
    return this.truncated ? `${head}\n[output truncated: ${this.#dropped} more bytes]` : head;
  }
}
