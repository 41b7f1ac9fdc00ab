import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Clock, Logger } from '@akmatori/core';
import type { Database } from '@akmatori/host';
import { AppErrors } from '../errors.js';
import { sanitizeContextFileName } from './context-file-name.js';
import type { ContextFileRecord } from './context-file-repository.js';
import { ContextFileRepository } from './context-file-repository.js';
import { ContextFileStore, type StagedContextFile } from './context-file-store.js';
import { contentSniffer, contextFileType, contextFileTypes } from './context-file-types.js';

/** The largest context file accepted: 10 MiB (a constant, not a setting). */
export const maxContextFileBytes = 10 * 1024 * 1024;

/** An upload streamed to disk, checked, and waiting to be saved under its name. */
export interface PendingContextFile {
  readonly name: string;
  readonly contentType: string;
  readonly staged: StagedContextFile;
}

/**
 * Context files: documents operators upload so investigations can use them. The bytes live
 * in `<dataDir>/context-files/`, the index in the `context_files` table.
 *
 * @example
 * ```ts
 * const files = new ContextFiles({ dataDir: '/var/lib/akmatori', database, clock, log });
 * const pending = await files.receive('runbook.md', stream);
 * const record = await files.save(pending, 'How to restart the checkout service');
 * ```
 */
export class ContextFiles {
  private readonly repository: ContextFileRepository;
  private readonly store: ContextFileStore;
  private readonly clock: Clock;
  private readonly log: Logger;

  constructor(deps: { dataDir: string; database: Database; clock: Clock; log: Logger }) {
    this.repository = new ContextFileRepository(deps.database.knex);
    this.store = new ContextFileStore(path.join(deps.dataDir, 'context-files'));
    this.clock = deps.clock;
    this.log = deps.log;
  }

  /** Where the files live. */
  get directory(): string {
    return this.store.directory;
  }

  /**
   * Sanitizes the name, checks its type, and streams the bytes to a temporary file while
   * checking size and content. Throws a catalogued error (and leaves no file) when refused.
   */
  async receive(filename: string, source: Readable): Promise<PendingContextFile> {
    const name = sanitizeContextFileName(filename);
    const type = name === undefined ? undefined : contextFileType(name);
    // Refused before reading: drain the part so the rest of the request still parses.
    if (type === undefined) source.resume();
    if (name === undefined)
      throw AppErrors.AKM_VALIDATION({
        reason: `file name "${filename}" has no usable characters`,
      });
    if (type === undefined)
      throw AppErrors.AKM_CONTEXT_FILE_TYPE_UNSUPPORTED({
        name,
        allowed: Object.keys(contextFileTypes),
      });
    const sniffer = contentSniffer(type);
    const mismatch = (reason: string | undefined): Error | undefined =>
      reason === undefined
        ? undefined
        : AppErrors.AKM_CONTEXT_FILE_CONTENT_MISMATCH({ name, reason });
    const staged = await this.store.stage(source, {
      maxBytes: maxContextFileBytes,
      tooLarge: () => AppErrors.AKM_CONTEXT_FILE_TOO_LARGE({ maxBytes: maxContextFileBytes }),
      inspect: (chunk) => mismatch(sniffer.check(chunk)),
    });
    const refused = mismatch(sniffer.finish());
    if (refused !== undefined) {
      await this.store.discard(staged);
      throw refused;
    }
    return { name, contentType: type.contentType, staged };
  }

  /** Indexes a received file and moves it into place; 409 when its name is taken. */
  async save(pending: PendingContextFile, description: string | null): Promise<ContextFileRecord> {
    const record: ContextFileRecord = {
      id: randomUUID(),
      name: pending.name,
      contentType: pending.contentType,
      size: pending.staged.size,
      sha256: pending.staged.sha256,
      description,
      createdAt: this.clock.now(),
    };
    try {
      if (!(await this.repository.insert(record)))
        throw AppErrors.AKM_CONTEXT_FILE_NAME_TAKEN({ name: record.name });
      try {
        await this.store.commit(pending.staged, record.id);
      } catch (error) {
        await this.repository.delete(record.id);
        throw error;
      }
    } catch (error) {
      await this.store.discard(pending.staged);
      throw error;
    }
    this.log.info(
      { contextFile: record.id, name: record.name, size: record.size },
      'context file saved',
    );
    return record;
  }

  /** Drops a received file that will not be saved. */
  async abandon(pending: PendingContextFile): Promise<void> {
    await this.store.discard(pending.staged);
  }

  /** Every context file, newest first. */
  list(): Promise<ContextFileRecord[]> {
    return this.repository.list();
  }

  /** One context file's metadata; 404 when there is none. */
  async get(id: string): Promise<ContextFileRecord> {
    const record = await this.repository.get(id);
    if (record === undefined) throw AppErrors.AKM_NOT_FOUND({ what: 'context file', id });
    return record;
  }

  /** One context file's metadata and bytes; 404 when either is missing. */
  async content(id: string): Promise<{ record: ContextFileRecord; stream: Readable }> {
    const record = await this.get(id);
    try {
      return { record, stream: await this.store.open(id) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      this.log.error({ contextFile: id }, 'context file is indexed but missing from the data dir');
      throw AppErrors.AKM_NOT_FOUND({ what: 'context file content', id });
    }
  }

  /** Deletes a context file's row and bytes; 404 when there is none. */
  async delete(id: string): Promise<void> {
    if (!(await this.repository.delete(id)))
      throw AppErrors.AKM_NOT_FOUND({ what: 'context file', id });
    await this.store.remove(id);
    this.log.info({ contextFile: id }, 'context file deleted');
  }
}
