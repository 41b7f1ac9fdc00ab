import { mkdir, open, readdir, readFile, rm, truncate, type FileHandle } from 'node:fs/promises';
import { constants as fsConstants } from 'node:fs';
import path from 'node:path';
import type { Logger } from '@akmatori/core';
import type { NewAlertEvent } from '@akmatori/host';
import { AppErrors } from '../../errors.js';
import { encodeFrame, FRAME_HEADER_BYTES, scanFrames } from './journal-frame.js';

/** Options for {@link InboxJournal.open}. */
export interface InboxJournalOptions {
  /** Highest alert event id already in the database's inbox table (the journal drains into it). */
  readonly drainedThrough: number;
  /** Highest id the database ever issued for an alert event; new ids start above it. */
  readonly lastIssuedId: number;
  /** A segment file is closed and a new one started past this size. Default 64 MiB. */
  readonly segmentBytes?: number;
  readonly log: Logger;
}

/** Alert events read from the journal, ready for the inbox table. */
export interface JournalBatch {
  /** Their JSON array, each `{"i":id,"s":source,"r":received,"a":alert}`. */
  readonly json: string;
  /** How many events. */
  readonly count: number;
  /** The highest id among them. */
  readonly lastId: number;
  /** Where reading continues once they are in the table. */
  readonly next: { readonly segment: number; readonly offset: number };
}

interface Segment {
  /** Id of its first event (its file name). */
  readonly firstId: number;
  readonly file: string;
  /** Bytes durably written (their write returned). */
  size: number;
}

interface PendingWrite {
  readonly frame: Buffer;
  readonly ids: number[];
  readonly resolve: (ids: number[]) => void;
  readonly reject: (error: unknown) => void;
}

const SEGMENT_NAME = /^(\d{16})\.journal$/;
const segmentName = (firstId: number): string => `${String(firstId).padStart(16, '0')}.journal`;
/**
 * Segments are written with O_DSYNC: each write returns once its bytes are on disk, one trip
 * to libuv's thread pool per group instead of a write and then an fdatasync.
 */
const APPEND_DURABLY =
  fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_APPEND | fsConstants.O_DSYNC;
/** Most bytes read from a segment at once when draining. */
const READ_BYTES = 1 << 20;

/**
 * The embedded default's durable inbox in front of the database: the webhook's alerts are
 * appended to segment files in the data directory and answered once the write is on disk, then
 * moved into the inbox table (`alert_events`) by the incident engine, in id order, when it has
 * time. A write is one frame per group of requests ({@link encodeFrame}), so a storm costs one
 * durable write per group, off the event loop, instead of work on the embedded engine,
 * which shares Node's one thread with HTTP. A segment is deleted once all its events are in
 * the table. On open, a write cut short by a crash (never acknowledged) is truncated away.
 */
export class InboxJournal {
  readonly #dir: string;
  readonly #segmentBytes: number;
  readonly #log: Logger;
  readonly #segments: Segment[];
  #nextId: number;
  #active: { segment: Segment; handle: FileHandle } | undefined;
  #queue: PendingWrite[] = [];
  #writing: Promise<void> | undefined;
  #cursor: { segment: number; offset: number };
  #reader: { segment: number; handle: FileHandle } | undefined;
  #pending: number;
  #closed = false;

  private constructor(
    dir: string,
    segments: Segment[],
    state: { nextId: number; cursor: { segment: number; offset: number }; pending: number },
    options: InboxJournalOptions,
  ) {
    this.#dir = dir;
    this.#segments = segments;
    this.#nextId = state.nextId;
    this.#cursor = state.cursor;
    this.#pending = state.pending;
    this.#segmentBytes = options.segmentBytes ?? 64 * 1024 * 1024;
    this.#log = options.log;
  }

  /**
   * Opens the journal in `dir` (created 0700 if missing): truncates a torn last write, deletes
   * segments whose events are all in the table, and finds where draining resumes.
   */
  static async open(dir: string, options: InboxJournalOptions): Promise<InboxJournal> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const names = (await readdir(dir)).filter((name) => SEGMENT_NAME.test(name)).sort();
    const segments: Segment[] = [];
    let cursor: { segment: number; offset: number } | undefined;
    let pending = 0;
    let highestId = 0;
    for (const name of names) {
      const file = path.join(dir, name);
      const bytes = await readFile(file);
      const { frames, intactEnd } = scanFrames(bytes);
      if (intactEnd < bytes.length) {
        // A frame is acknowledged only once written durably, so a damaged tail was never answered.
        options.log.warn(
          { file, bytes: bytes.length - intactEnd },
          'inbox journal: dropping a write cut short (it was never acknowledged)',
        );
        await truncate(file, intactEnd);
      }
      const undrained = frames.filter(
        (frame) => frame.firstId + frame.count - 1 > options.drainedThrough,
      );
      const last = frames.at(-1);
      if (last !== undefined) highestId = Math.max(highestId, last.firstId + last.count - 1);
      if (undrained.length === 0) {
        await rm(file, { force: true });
        continue;
      }
      segments.push({ firstId: Number(SEGMENT_NAME.exec(name)?.[1]), file, size: intactEnd });
      cursor ??= { segment: segments.length - 1, offset: undrained[0]?.offset ?? 0 };
      for (const frame of undrained) pending += frame.count;
    }
    const nextId = Math.max(options.lastIssuedId, options.drainedThrough, highestId) + 1;
    if (pending > 0)
      options.log.info({ pending }, 'inbox journal: alerts to move into the database');
    return new InboxJournal(
      dir,
      segments,
      { nextId, cursor: cursor ?? { segment: segments.length, offset: 0 }, pending },
      options,
    );
  }

  /** Alert events written but not yet moved into the table. */
  get pending(): number {
    return this.#pending;
  }

  /** Writes events durably; resolves with their ids (in order) once they are on disk. */
  append(events: readonly NewAlertEvent[]): Promise<number[]> {
    if (this.#closed) return Promise.reject(AppErrors.AKM_INBOX_JOURNAL_CLOSED());
    if (events.length === 0) return Promise.resolve([]);
    const firstId = this.#nextId;
    this.#nextId += events.length;
    const ids = events.map((_, k) => firstId + k);
    // The frame's JSON array, written piece by piece: no object per event just to stringify it.
    let json = '[';
    for (let k = 0; k < events.length; k++) {
      const event = events[k] as NewAlertEvent;
      json += `${k === 0 ? '' : ','}{"i":${firstId + k},"s":${JSON.stringify(event.sourceId)},"r":"${event.receivedAt.toISOString()}","a":${JSON.stringify(event.alert)}}`;
    }
    const payload = Buffer.from(`${json}]`);
    return new Promise((resolve, reject) => {
      this.#queue.push({
        frame: encodeFrame(firstId, events.length, payload),
        ids,
        resolve,
        reject,
      });
      this.#startWriting();
    });
  }

  /** Starts the writer unless it runs; it writes whatever is queued, group by group. */
  #startWriting(): void {
    if (this.#writing !== undefined || this.#queue.length === 0) return;
    this.#writing = this.#writeQueued().finally(() => {
      this.#writing = undefined;
      // Appends made after its last group resolved, before this ran.
      this.#startWriting();
    });
  }

  /** The next events to move into the table, at most about `maxEvents` (whole frames). */
  async read(maxEvents: number): Promise<JournalBatch | undefined> {
    for (;;) {
      const segment = this.#segments[this.#cursor.segment];
      if (segment === undefined) return undefined;
      if (this.#cursor.offset < segment.size) break;
      // A segment is finished once writing has moved on to a later one.
      if (this.#cursor.segment === this.#segments.length - 1) return undefined;
      this.#cursor = { segment: this.#cursor.segment + 1, offset: 0 };
    }
    const index = this.#cursor.segment;
    const segment = this.#segments[index] as Segment;
    const handle = await this.#readerFor(index, segment);
    const offset = this.#cursor.offset;
    let length = Math.min(segment.size - offset, READ_BYTES);
    let bytes = await readAt(handle, offset, length);
    let scan = scanFrames(bytes, offset, maxEvents);
    if (scan.frames.length === 0 && bytes.length >= FRAME_HEADER_BYTES) {
      // One frame larger than a read: read exactly that frame.
      length = Math.min(segment.size - offset, FRAME_HEADER_BYTES + bytes.readUInt32LE(0));
      bytes = await readAt(handle, offset, length);
      scan = scanFrames(bytes, offset, maxEvents);
    }
    const last = scan.frames.at(-1);
    if (last === undefined)
      throw AppErrors.AKM_INBOX_JOURNAL_DAMAGED({ file: segment.file, offset });
    let count = 0;
    for (const frame of scan.frames) count += frame.count;
    return {
      json: `[${scan.frames.map((frame) => frame.payload.subarray(1, -1).toString()).join(',')}]`,
      count,
      lastId: last.firstId + last.count - 1,
      next: { segment: index, offset: last.end },
    };
  }

  /** Records that a batch from {@link read} is in the table; deletes segments fully moved. */
  async advance(batch: JournalBatch): Promise<void> {
    this.#pending -= batch.count;
    // Every segment before the batch's is moved; so is the batch's own once it was read to the
    // end and is no longer written to.
    const current = this.#segments[batch.next.segment];
    const currentDone =
      current !== undefined &&
      batch.next.offset >= current.size &&
      current !== this.#active?.segment;
    const done = batch.next.segment + (currentDone ? 1 : 0);
    this.#cursor = currentDone
      ? { segment: 0, offset: 0 }
      : { segment: batch.next.segment - done, offset: batch.next.offset };
    if (done === 0) return;
    const finished = this.#segments.splice(0, done);
    const reader = this.#reader;
    if (reader !== undefined && reader.segment < done) {
      this.#reader = undefined;
      await reader.handle.close();
    } else if (reader !== undefined) this.#reader = { ...reader, segment: reader.segment - done };
    for (const segment of finished) await rm(segment.file, { force: true });
  }

  /** Waits for writes in progress, then closes the files. Appends after this are refused. */
  async close(): Promise<void> {
    this.#closed = true;
    while (this.#writing !== undefined) await this.#writing;
    await this.#reader?.handle.close();
    this.#reader = undefined;
    await this.#active?.handle.close();
    this.#active = undefined;
  }

  async #writeQueued(): Promise<void> {
    while (this.#queue.length > 0) {
      const group = this.#queue.splice(0);
      const bytes =
        group.length === 1
          ? (group[0] as PendingWrite).frame
          : Buffer.concat(group.map((write) => write.frame));
      let active: { segment: Segment; handle: FileHandle } | undefined;
      try {
        active = await this.#activeFor(bytes.length, (group[0] as PendingWrite).ids[0] as number);
        await writeAll(active.handle, bytes);
      } catch (error) {
        this.#log.error(
          { err: error, events: group.reduce((n, write) => n + write.ids.length, 0) },
          'inbox journal: a write failed; its alerts were refused (the senders may retry)',
        );
        // Cut back what a failed write left, so later frames follow intact ones.
        if (active !== undefined) await active.handle.truncate(active.segment.size).catch(() => {});
        const refused = AppErrors.AKM_INBOX_JOURNAL_WRITE_FAILED(
          { reason: (error as Error).message },
          { cause: error },
        );
        for (const write of group) write.reject(refused);
        continue;
      }
      active.segment.size += bytes.length;
      for (const write of group) {
        this.#pending += write.ids.length;
        write.resolve(write.ids);
      }
    }
  }

  /** The segment to append `bytes` to, starting a new one (named `firstId`) when needed. */
  async #activeFor(
    bytes: number,
    firstId: number,
  ): Promise<{ segment: Segment; handle: FileHandle }> {
    const active = this.#active;
    if (
      active !== undefined &&
      (active.segment.size === 0 || active.segment.size + bytes <= this.#segmentBytes)
    )
      return active;
    await active?.handle.close();
    this.#active = undefined;
    const segment: Segment = { firstId, file: path.join(this.#dir, segmentName(firstId)), size: 0 };
    const handle = await open(segment.file, APPEND_DURABLY, 0o600);
    // The new file's directory entry must survive a crash as well as its contents.
    const directory = await open(this.#dir, 'r');
    try {
      await directory.sync();
    } finally {
      await directory.close();
    }
    this.#segments.push(segment);
    this.#active = { segment, handle };
    return this.#active;
  }

  async #readerFor(index: number, segment: Segment): Promise<FileHandle> {
    if (this.#reader?.segment === index) return this.#reader.handle;
    await this.#reader?.handle.close();
    const handle = await open(segment.file, 'r');
    this.#reader = { segment: index, handle };
    return handle;
  }
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(length);
  let read = 0;
  while (read < length) {
    const { bytesRead } = await handle.read(buffer, read, length - read, position + read);
    if (bytesRead === 0) break;
    read += bytesRead;
  }
  return buffer.subarray(0, read);
}

async function writeAll(handle: FileHandle, bytes: Buffer): Promise<void> {
  let written = 0;
  while (written < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, written, bytes.length - written);
    written += bytesWritten;
  }
}
