/**
 * The fast lane: plain requests for files of the book answered straight off
 * the socket, without node:http's per-request objects.
 *
 * Why: on a two-core laptop node:http spends most of each request in
 * JavaScript around its parser (IncomingMessage, ServerResponse, header
 * objects) and serves well under half of what nginx does with the same files;
 * a busy mesh of phones is exactly that load. Reading the head and writing a
 * head built once per file is several times cheaper.
 *
 * How it stays safe: the lane takes every new connection of the node:http
 * server, reads request heads with plain-request.ts, and answers only those it
 * recognises as plain and the site can serve from memory. At the first request
 * that is anything else (a body, an API path, a byte it does not expect, a
 * head too large), it hands the connection with every byte not yet answered
 * to node:http, which owns it from then on and judges that request with its
 * own strict parser. Timeouts match node:http's: a head must arrive within
 * headersMs, an idle connection closes after keepAliveMs, and an answer the
 * client does not read within requestMs closes the connection.
 */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { parsePlainHead, type PlainRequest } from './plain-request.ts';

/** The answer to a plain request: head fields after the status line and Date, then the body (none for HEAD). */
export interface PlainAnswer {
  readonly head: Buffer;
  readonly body: Buffer | null;
}

export interface FastLaneOptions {
  /** The answer to a plain request, or null to let node:http answer it (and everything after it on that connection). */
  answer(request: PlainRequest): PlainAnswer | null;
  headersMs: number;
  requestMs: number;
  keepAliveMs: number;
  checkIntervalMs: number;
  /** node:http's limit on a head (maxHeaderSize). */
  maxHeadBytes: number;
}

export interface FastLane {
  /** Requests the lane has answered (the rest went to node:http). */
  readonly answered: number;
  /** Closes every connection the lane still holds. */
  closeAll(): void;
  /** Forgets answers already made (the book was indexed again). */
  forgetAnswers(): void;
}

const END_OF_HEAD = Buffer.from('\r\n\r\n');
/** Past this many unsent bytes the lane stops reading the connection until the client catches up. */
const HIGH_WATER = 256 * 1024;

interface LaneConnection {
  readonly socket: Socket;
  /** Bytes of an incomplete head. */
  pending: Buffer | null;
  /** When the head now arriving began (0: none is arriving). */
  headSince: number;
  lastActive: number;
  /** When the client stopped reading our answers (0: it keeps up). */
  stalledSince: number;
  onData(chunk: Buffer): void;
}

export function installFastLane(server: Server, options: FastLaneOptions): FastLane {
  const httpListeners = server.listeners('connection');
  if (httpListeners.length !== 1) throw new Error('fast lane: install it on a fresh node:http server, before other connection listeners');
  const httpConnection = httpListeners[0] as (socket: Socket) => void;
  server.removeListener('connection', httpConnection);

  const open = new Set<LaneConnection>();
  let answered = 0;
  // A coarse clock and the Date line, updated by the sweep (as node:http caches its Date per second).
  let now = Date.now();
  const answers = new AnswersOfThisSecond(options.keepAliveMs);

  const sweep = setInterval(() => {
    now = Date.now();
    answers.newSecond();
    for (const connection of open) {
      const { socket } = connection;
      if (connection.headSince && now - connection.headSince > options.headersMs) {
        // The same short answer node:http gives a client too slow to send its head.
        socket.end('HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n', () => socket.destroy());
        forget(connection);
      } else if (socket.writableLength > 0) {
        connection.stalledSince ||= now;
        if (now - connection.stalledSince > options.requestMs) socket.destroy();
      } else {
        connection.stalledSince = 0;
        if (!connection.headSince && now - connection.lastActive > options.keepAliveMs) socket.destroy();
      }
    }
  }, Math.min(options.checkIntervalMs, 1000)); // at least every second: the Date of answers
  sweep.unref();
  server.once('close', () => clearInterval(sweep));

  const forget = (connection: LaneConnection): void => {
    open.delete(connection);
    connection.socket.removeListener('data', connection.onData);
  };

  const handOff = (connection: LaneConnection, rest: Buffer): void => {
    const { socket } = connection;
    forget(connection);
    socket.removeListener('error', ignoreError);
    socket.pause();
    if (rest.length > 0) socket.unshift(rest);
    httpConnection.call(server, socket);
    socket.resume();
  };

  /** The answer to a head not met this second, or null when node:http must answer it. */
  const makeAnswer = (head: string): MadeAnswer | null => {
    const request = parsePlainHead(head);
    if (!request) return null;
    try {
      const answer = options.answer(request);
      return answer && answers.make(head, request, answer);
    } catch {
      return null; // node:http meets the same failure and answers it properly
    }
  };

  /** Answers every complete plain head in data; keeps an incomplete one; hands the rest off. */
  const consume = (connection: LaneConnection, data: Buffer): void => {
    const { socket } = connection;
    let start = 0;
    while (start < data.length) {
      if (socket.writableLength > HIGH_WATER) {
        // The client is not reading: stop reading it until it does (its requests wait, in order).
        connection.pending = data.subarray(start);
        socket.pause();
        socket.once('drain', () => {
          if (!open.has(connection)) return;
          const waiting = connection.pending;
          connection.pending = null;
          socket.resume();
          if (waiting) consume(connection, waiting);
        });
        return;
      }
      const end = data.indexOf(END_OF_HEAD, start);
      if (end < 0) {
        const partial = data.subarray(start);
        if (partial.length > options.maxHeadBytes || !couldBePlain(partial)) {
          handOff(connection, partial);
          return;
        }
        connection.pending = Buffer.from(partial); // a copy: the chunk it came in may be large
        connection.headSince ||= now;
        return;
      }
      const head = end - start <= options.maxHeadBytes ? data.toString('latin1', start, end) : null;
      const made = head === null ? null : (answers.get(head) ?? makeAnswer(head));
      if (!made) {
        handOff(connection, data.subarray(start));
        return;
      }
      socket.write(made.whole);
      answered++;
      start = end + END_OF_HEAD.length;
      connection.headSince = 0;
      connection.lastActive = now;
      if (made.close) {
        forget(connection);
        socket.end();
        return;
      }
    }
    connection.pending = null;
  };

  server.on('connection', (socket: Socket) => {
    const connection: LaneConnection = {
      socket,
      pending: null,
      headSince: now,
      lastActive: now,
      stalledSince: 0,
      onData(chunk: Buffer) {
        const waiting = connection.pending;
        connection.pending = null;
        consume(connection, waiting ? Buffer.concat([waiting, chunk]) : chunk);
      },
    };
    socket.setNoDelay(true);
    socket.on('data', connection.onData);
    socket.on('error', ignoreError);
    socket.once('close', () => open.delete(connection));
    open.add(connection);
  });

  return {
    get answered() {
      return answered;
    },
    forgetAnswers() {
      answers.clear();
    },
    closeAll() {
      for (const connection of open) connection.socket.destroy();
      open.clear();
    },
  };
}

/** A reset by the client ends the connection; there is nobody to tell. */
function ignoreError(): void {}

/**
 * False when bytes of an unfinished head already show it is not plain (a bare
 * LF, a control or non-ASCII byte): node:http answers such a request at once,
 * so the lane must not sit waiting for an end of head that may never come.
 */
function couldBePlain(partial: Buffer): boolean {
  for (let i = 0; i < partial.length; i++) {
    const byte = partial[i]!;
    if (byte === 0x0a ? partial[i - 1] !== 0x0d : byte !== 0x0d && byte !== 0x09 && (byte < 0x20 || byte > 0x7e)) return false;
  }
  return true;
}

/** A whole answer, ready to write, and whether the connection closes after it. */
interface MadeAnswer {
  readonly whole: Buffer;
  readonly close: boolean;
}

/**
 * Answers made in the current second, by the exact text of the request head.
 * Phones and browsers send the same head for the same file, so a busy node
 * mostly finds its answer here: one map lookup, one write. Whole answers are
 * one buffer each because a write of several buffers costs the node about a
 * fifth of its speed. Emptied every second (the Date changes), when the book
 * is indexed again, and when the bytes pass a budget.
 */
class AnswersOfThisSecond {
  private static readonly BUDGET = 4 * 1024 * 1024;
  private readonly made = new Map<string, MadeAnswer>();
  private bytes = 0;
  private readonly keepAliveMs: number;
  private prefixes: { keepAlive: Buffer; close: Buffer };

  constructor(keepAliveMs: number) {
    this.keepAliveMs = keepAliveMs;
    this.prefixes = this.statusLines();
  }

  get(head: string): MadeAnswer | undefined {
    return this.made.get(head);
  }

  make(head: string, request: PlainRequest, answer: PlainAnswer): MadeAnswer {
    const prefix = request.close ? this.prefixes.close : this.prefixes.keepAlive;
    const body = request.method === 'GET' ? answer.body : null;
    const made = { whole: Buffer.concat(body ? [prefix, answer.head, body] : [prefix, answer.head]), close: request.close };
    const size = made.whole.length + head.length;
    if (this.bytes + size > AnswersOfThisSecond.BUDGET) this.clear();
    this.made.set(head, made);
    this.bytes += size;
    return made;
  }

  clear(): void {
    this.made.clear();
    this.bytes = 0;
  }

  newSecond(): void {
    this.clear();
    this.prefixes = this.statusLines();
  }

  /** The status line, Date and connection fields of a 200, as node:http writes them. */
  private statusLines(): { keepAlive: Buffer; close: Buffer } {
    const date = new Date().toUTCString();
    return {
      keepAlive: Buffer.from(`HTTP/1.1 200 OK\r\nDate: ${date}\r\nConnection: keep-alive\r\nKeep-Alive: timeout=${Math.floor(this.keepAliveMs / 1000)}\r\n`, 'latin1'),
      close: Buffer.from(`HTTP/1.1 200 OK\r\nDate: ${date}\r\nConnection: close\r\n`, 'latin1'),
    };
  }
}
