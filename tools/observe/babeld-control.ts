/** Asks a running babeld for its `dump` over its local control socket (local-path). */
import { connect } from 'node:net';

/** The raw answer (greeting + dump), or undefined when no babeld listens there. */
export function readBabeldDump(socketPath: string, timeoutMs = 3000): Promise<string | undefined> {
  return new Promise((resolve) => {
    let text = '';
    let settled = false;
    const finish = (value: string | undefined): void => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(value);
    };
    const socket = connect(socketPath);
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write('dump\n'));
    socket.on('data', (chunk: string) => {
      text += chunk;
      if (text.length > 4_000_000) finish(undefined);
      // The greeting ends with "ok", and so does the dump.
      if ((text.match(/^(ok|bad|no)$/gm) ?? []).length >= 2) finish(text);
    });
    socket.on('error', () => finish(undefined));
    socket.on('close', () => finish(text || undefined));
    setTimeout(() => finish(undefined), timeoutMs).unref();
  });
}
