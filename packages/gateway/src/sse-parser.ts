/** One server-sent event, as the WHATWG event-stream rules dispatch it. */
export interface SseEvent {
  /** The `event:` field, or `message` when the frame had none. */
  readonly type: string;
  /** The `data:` lines of the frame joined with `\n`. */
  readonly data: string;
  /** The last `id:` field seen in the stream, if any. */
  readonly lastEventId: string | undefined;
}

/** An incremental event-stream parser: feed it bytes as they arrive, in any chunking. */
export interface SseParser {
  /** Parses one chunk; events completed by it are dispatched before `push` returns. */
  push(chunk: Uint8Array): void;
  /** Ends the stream. A frame without its closing blank line is discarded, as the spec says. */
  end(): void;
}

/** Options for {@link createSseParser}. */
export interface SseParserOptions {
  /** Largest frame (pending line plus data, in UTF-16 units) kept before `push` throws. Default 64 Mi. */
  readonly maxFrameChars?: number;
}

const LF = 10;
const CR = 13;

/**
 * Creates an incremental parser for `text/event-stream` bytes. It follows the WHATWG rules:
 * lines end in `\r\n`, `\n` or `\r` (also when a `\r\n` pair is split across chunks), lines
 * starting with `:` are comments, one space after the colon is dropped, several `data:`
 * lines join with `\n`, and a blank line dispatches the frame. UTF-8 characters split across
 * chunks are decoded correctly and a leading byte-order mark is ignored.
 *
 * @example
 * ```ts
 * const parser = createSseParser((event) => console.log(event.type, event.data));
 * parser.push(Buffer.from('event: ping\r\ndata: {"a":'));
 * parser.push(Buffer.from('1}\r\n\r\n')); // logs: ping {"a":1}
 * parser.end();
 * ```
 */
export function createSseParser(
  onEvent: (event: SseEvent) => void,
  options: SseParserOptions = {},
): SseParser {
  const maxFrameChars = options.maxFrameChars ?? 64 * 1024 * 1024;
  const decoder = new TextDecoder('utf-8');
  let pendingLine = '';
  let skipLeadingLf = false;
  let eventType = '';
  let dataLines: string[] = [];
  let dataChars = 0;
  let lastEventId: string | undefined;

  const dispatch = (): void => {
    if (dataLines.length > 0) {
      onEvent({
        type: eventType === '' ? 'message' : eventType,
        data: dataLines.join('\n'),
        lastEventId,
      });
    }
    eventType = '';
    dataLines = [];
    dataChars = 0;
  };

  const processLine = (line: string): void => {
    if (line === '') return dispatch();
    if (line.charCodeAt(0) === 58 /* ':' */) return; // comment, e.g. ": keepalive"
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') eventType = value;
    else if (field === 'data') {
      dataLines.push(value);
      dataChars += value.length + 1;
    } else if (field === 'id' && !value.includes('\0')) lastEventId = value;
  };

  const processText = (text: string): void => {
    let start = 0;
    if (skipLeadingLf && text.length > 0) {
      skipLeadingLf = false;
      if (text.charCodeAt(0) === LF) start = 1;
    }
    for (let i = start; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code !== LF && code !== CR) continue;
      const line = pendingLine + text.slice(start, i);
      pendingLine = '';
      if (code === CR) {
        if (i + 1 === text.length) skipLeadingLf = true;
        else if (text.charCodeAt(i + 1) === LF) i++;
      }
      start = i + 1;
      processLine(line);
    }
    pendingLine += text.slice(start);
    if (pendingLine.length + dataChars > maxFrameChars) {
      throw new RangeError(`Server-sent event frame is over ${maxFrameChars} characters`);
    }
  };

  return {
    push: (chunk) => processText(decoder.decode(chunk, { stream: true })),
    end: () => {
      processText(decoder.decode());
      pendingLine = '';
      dataLines = [];
      dataChars = 0;
    },
  };
}
