import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, type ReadStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** What a finished upload wrote to its temporary file. */
export interface StagedContextFile {
  /** The temporary file, in the store's directory; `commit` or `discard` it. */
  readonly tempPath: string;
  /** Bytes written. */
  readonly size: number;
  /** Hex SHA-256 of the bytes. */
  readonly sha256: string;
}

/** Options for {@link ContextFileStore.stage}. */
export interface StageOptions {
  /** Refuse (by throwing `tooLarge()`) once more than this many bytes arrive. */
  readonly maxBytes: number;
  /** The error to throw past `maxBytes`. */
  readonly tooLarge: () => Error;
  /** Called with every chunk; returns an error to stop the upload with. */
  readonly inspect: (chunk: Buffer) => Error | undefined;
}

/**
 * The bytes of context files, one file per id in `<dataDir>/context-files/` (mode 0700).
 * Uploads stream into a temporary file in the same directory, hashed on the way, and are
 * renamed into place: a reader never sees a partial file and a failure leaves none behind.
 */
export class ContextFileStore {
  private ready: Promise<void> | undefined;

  /** @param directory where the files live, created on first use. */
  constructor(readonly directory: string) {}

  /** Streams `source` to a temporary file; removes it and rethrows on any failure. */
  async stage(source: Readable, options: StageOptions): Promise<StagedContextFile> {
    await this.ensureDirectory();
    const tempPath = path.join(this.directory, `.upload-${randomUUID()}.tmp`);
    const hash = createHash('sha256');
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        if (size > options.maxBytes) return done(options.tooLarge());
        const refused = options.inspect(chunk);
        if (refused !== undefined) return done(refused);
        hash.update(chunk);
        done(null, chunk);
      },
    });
    const sink = createWriteStream(tempPath, { flags: 'wx', mode: 0o600 });
    try {
      await pipeline(source, meter, sink);
    } catch (error) {
      // pipeline rejects on the first error, possibly before the sink's pending open has
      // created the file; remove it only once the sink has closed, or it would reappear.
      if (!sink.closed) await new Promise<void>((closed) => sink.once('close', () => closed()));
      await rm(tempPath, { force: true });
      throw error;
    }
    return { tempPath, size, sha256: hash.digest('hex') };
  }

  /** Moves a staged file into place as `id` (atomic rename in one directory). */
  async commit(staged: StagedContextFile, id: string): Promise<void> {
    await rename(staged.tempPath, this.pathOf(id));
  }

  /** Removes a staged file that will not be kept. */
  async discard(staged: StagedContextFile): Promise<void> {
    await rm(staged.tempPath, { force: true });
  }

  /** Opens a stored file for reading; rejects with `ENOENT` when it is missing. */
  async open(id: string): Promise<ReadStream> {
    const stream = createReadStream(this.pathOf(id));
    await new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve());
      stream.once('error', reject);
    });
    return stream;
  }

  /** Removes a stored file; a missing one is not an error. */
  async remove(id: string): Promise<void> {
    await rm(this.pathOf(id), { force: true });
  }

  private pathOf(id: string): string {
    if (!/^[0-9a-f-]{36}$/.test(id)) throw new Error(`not a context file id: ${id}`);
    return path.join(this.directory, id);
  }

  private ensureDirectory(): Promise<void> {
    this.ready ??= mkdir(this.directory, { recursive: true, mode: 0o700 }).then(() => undefined);
    return this.ready;
  }
}
