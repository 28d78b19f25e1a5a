// A minimal HTTP/1.1 keep-alive client: one socket, one request in flight, responses framed by
// Content-Length. It exists because the load generator shares this 2-core machine with the server:
// node:http's client costs several times more CPU per request, and every cycle it burns is a cycle
// the server under test does not get. Chunked responses are refused loudly rather than misread.
import net from 'node:net';

const HEADER_END = Buffer.from('\r\n\r\n');

export class HttpConnection {
  /** @param {{ host: string, port: number }} target */
  constructor(target) {
    this.target = target;
    this.socket = undefined;
    this.buffer = Buffer.alloc(0);
    this.pending = undefined;
  }

  /** Opens the socket now, so connection set-up is not inside the first measured request. */
  async connect() {
    if (this.socket && !this.socket.destroyed) return;
    await new Promise((resolve, reject) => {
      const socket = net.connect(this.target.port, this.target.host);
      socket.setNoDelay(true);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve();
      });
      socket.once('error', reject);
      socket.on('data', (chunk) => this.#onData(chunk));
      socket.on('error', (error) => this.#fail(error));
      socket.on('close', () => this.#fail(new Error('the server closed the connection')));
      this.socket = socket;
      this.buffer = Buffer.alloc(0);
    });
  }

  /**
   * Sends one request (head without the blank line, body as a string) and resolves with the
   * status and the body text. Reconnects first if the server closed the socket.
   * @returns {Promise<{ status: number, body: string, close: boolean }>}
   */
  async request(head, body) {
    if (!this.socket || this.socket.destroyed) await this.connect();
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.socket.write(`${head}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    });
  }

  close() {
    this.socket?.destroy();
  }

  #onData(chunk) {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const end = this.buffer.indexOf(HEADER_END);
    if (end < 0 || !this.pending) return;
    const head = this.buffer.toString('latin1', 0, end);
    const lengthMatch = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    if (!lengthMatch) {
      this.#fail(new Error(`response without Content-Length: ${head.split('\r\n')[0]}`));
      this.socket.destroy();
      return;
    }
    const total = end + HEADER_END.length + Number(lengthMatch[1]);
    if (this.buffer.length < total) return;
    const status = Number(head.slice(9, 12));
    const body = this.buffer.toString('utf8', end + HEADER_END.length, total);
    this.buffer = this.buffer.subarray(total);
    const close = /\r\nconnection:\s*close/i.test(head);
    const { resolve } = this.pending;
    this.pending = undefined;
    if (close) this.socket.destroy();
    resolve({ status, body, close });
  }

  #fail(error) {
    const pending = this.pending;
    this.pending = undefined;
    pending?.reject(error);
  }
}
