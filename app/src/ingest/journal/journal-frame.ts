import { crc32 } from 'node:zlib';

/**
 * One group commit in the inbox journal: a header, then the JSON array of its alert events.
 *
 * | bytes | field                                             |
 * |-------|---------------------------------------------------|
 * | 0–3   | payload length (uint32 LE)                        |
 * | 4–7   | CRC-32 of the payload (uint32 LE)                 |
 * | 8–11  | event count (uint32 LE)                           |
 * | 12–19 | id of the first event (uint64 LE; the rest follow)|
 * | 20–   | payload: `[{"i":id,"s":source,"r":received,"a":alert},…]` |
 */
export const FRAME_HEADER_BYTES = 20;

/** A frame found in a segment. */
export interface JournalFrame {
  /** Where the frame starts in its segment. */
  readonly offset: number;
  /** Where the next frame starts. */
  readonly end: number;
  /** Id of its first event; the others follow one by one. */
  readonly firstId: number;
  /** How many events it holds. */
  readonly count: number;
  /** Its JSON array of events, as written. */
  readonly payload: Buffer;
}

/** Encodes the events `firstId`, `firstId + 1`, … whose JSON array is `payload`. */
export function encodeFrame(firstId: number, count: number, payload: Buffer): Buffer {
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + payload.length);
  frame.writeUInt32LE(payload.length, 0);
  frame.writeUInt32LE(crc32(payload), 4);
  frame.writeUInt32LE(count, 8);
  frame.writeBigUInt64LE(BigInt(firstId), 12);
  payload.copy(frame, FRAME_HEADER_BYTES);
  return frame;
}

/** The frames in `bytes` from `start`, and where the intact ones end. */
export interface ScannedFrames {
  readonly frames: JournalFrame[];
  /** End of the last intact frame: bytes after it are a torn or damaged write. */
  readonly intactEnd: number;
}

/**
 * Reads consecutive frames from `bytes` (a segment, or part of one read from `base`), stopping
 * at the first that is cut short or whose checksum does not match, and after `maxEvents` events
 * when given (at least one frame is always read).
 */
export function scanFrames(bytes: Buffer, base = 0, maxEvents = Infinity): ScannedFrames {
  const frames: JournalFrame[] = [];
  let at = 0;
  let events = 0;
  while (at + FRAME_HEADER_BYTES <= bytes.length && (frames.length === 0 || events < maxEvents)) {
    const length = bytes.readUInt32LE(at);
    const end = at + FRAME_HEADER_BYTES + length;
    if (end > bytes.length) break;
    const payload = bytes.subarray(at + FRAME_HEADER_BYTES, end);
    if (crc32(payload) !== bytes.readUInt32LE(at + 4)) break;
    const count = bytes.readUInt32LE(at + 8);
    frames.push({
      offset: base + at,
      end: base + end,
      firstId: Number(bytes.readBigUInt64LE(at + 12)),
      count,
      payload,
    });
    events += count;
    at = end;
  }
  return { frames, intactEnd: base + at };
}
