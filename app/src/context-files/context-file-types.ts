/** A kind of document operators may upload, chosen by the file name's extension. */
export interface ContextFileType {
  /** The `Content-Type` stored and served back. */
  readonly contentType: string;
  /** Text kinds refuse NUL bytes (binary content under a text name). */
  readonly text: boolean;
  /** Bytes the file must start with, for binary kinds cheap to sniff. */
  readonly magic?: Buffer;
}

const text = (contentType: string): ContextFileType => ({ contentType, text: true });

/** Allowed extensions (lower case, with the dot) and what they hold. */
export const contextFileTypes: Readonly<Record<string, ContextFileType>> = Object.freeze({
  '.txt': text('text/plain'),
  '.md': text('text/markdown'),
  '.log': text('text/plain'),
  '.csv': text('text/csv'),
  '.json': text('application/json'),
  '.yaml': text('application/yaml'),
  '.yml': text('application/yaml'),
  '.pdf': { contentType: 'application/pdf', text: false, magic: Buffer.from('%PDF-') },
  '.png': {
    contentType: 'image/png',
    text: false,
    magic: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  },
  '.jpg': { contentType: 'image/jpeg', text: false, magic: Buffer.from([0xff, 0xd8, 0xff]) },
  '.jpeg': { contentType: 'image/jpeg', text: false, magic: Buffer.from([0xff, 0xd8, 0xff]) },
});

/**
 * The type for a (sanitized) file name, or undefined when its extension is not allowed.
 *
 * @example
 * ```ts
 * contextFileType('runbook.md')?.contentType; // 'text/markdown'
 * ```
 */
export function contextFileType(name: string): ContextFileType | undefined {
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return undefined;
  return contextFileTypes[name.slice(dot).toLowerCase()];
}

/**
 * Checks content against its type while it streams: feed every chunk to `check`, then call
 * `finish`. Each returns a reason when the content does not match, undefined otherwise.
 *
 * @example
 * ```ts
 * const sniff = contentSniffer(contextFileType('a.txt')!);
 * sniff.check(Buffer.from('hello')); // undefined
 * sniff.finish(); // undefined
 * ```
 */
export function contentSniffer(type: ContextFileType): {
  check(chunk: Buffer): string | undefined;
  finish(): string | undefined;
} {
  let head = Buffer.alloc(0);
  let magicChecked = type.magic === undefined;
  const checkMagic = (final: boolean): string | undefined => {
    if (magicChecked || type.magic === undefined) return undefined;
    if (head.length < type.magic.length && !final) return undefined;
    magicChecked = true;
    return head.subarray(0, type.magic.length).equals(type.magic)
      ? undefined
      : `the content is not ${type.contentType} (its first bytes do not match)`;
  };
  return {
    check(chunk) {
      if (type.text && chunk.includes(0))
        return 'the content holds NUL bytes: binary data under a text file name';
      if (!magicChecked) head = Buffer.concat([head, chunk.subarray(0, 16)]);
      return checkMagic(false);
    },
    finish: () => checkMagic(true),
  };
}
