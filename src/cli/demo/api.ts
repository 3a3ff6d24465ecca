// The demo's client of the public API: applicants sign in with the code the server wrote to its outbox,
// solve proof-of-work challenges and call the API as a browser would; staff calls carry a bearer token.
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { solvePow } from '../../auth/pow-solve.ts';
import { cliFetch } from '../http.ts';

export interface Session {
  cookie: string;
  csrf: string;
}

export interface Reply {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: the demo reads loosely shaped JSON answers
  body: any;
  headers: Headers;
}

export class DemoApi {
  token = '';
  #outboxOffset = 0;
  readonly #codes = new Map<string, string>();

  constructor(
    readonly base: string,
    private readonly outboxFile: string,
  ) {}

  async call(method: string, path: string, body?: unknown, as?: Session | 'staff'): Promise<Reply> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (as === 'staff') headers.authorization = `Bearer ${this.token}`;
    else if (as) {
      headers.cookie = as.cookie;
      headers['x-csrf-token'] = as.csrf;
    }
    const res = await cliFetch(`${this.base}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = text;
    }
    return { status: res.status, body: parsed, headers: res.headers };
  }

  async ok(method: string, path: string, body?: unknown, as?: Session | 'staff'): Promise<Reply['body']> {
    const r = await this.call(method, path, body, as);
    if (r.status >= 300) throw new Error(`${method} ${path}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }

  async pow(purpose: 'code' | 'entry'): Promise<string> {
    return solvePow(await this.ok('GET', `/api/pow/challenge?purpose=${purpose}`));
  }

  /** New lines of the outbox since the last look: sign-in codes by contact. */
  #readOutbox(): void {
    if (!existsSync(this.outboxFile)) return;
    const size = statSync(this.outboxFile).size;
    if (size <= this.#outboxOffset) return;
    const fd = openSync(this.outboxFile, 'r');
    const buf = Buffer.alloc(size - this.#outboxOffset);
    readSync(fd, buf, 0, buf.length, this.#outboxOffset);
    closeSync(fd);
    const text = buf.toString('utf8');
    const complete = text.lastIndexOf('\n') + 1;
    this.#outboxOffset += Buffer.byteLength(text.slice(0, complete));
    for (const line of text.slice(0, complete).split('\n')) {
      if (!line) continue;
      const m = JSON.parse(line) as { to: string; template: string; text: string };
      const code = m.template === 'signin_code' ? /(\d{6})/.exec(m.text)?.[1] : undefined;
      if (code) this.#codes.set(m.to, code);
    }
  }

  async signIn(contact: string): Promise<Session> {
    const asked = await this.call('POST', '/api/auth/code', { contact, pow: await this.pow('code') });
    if (asked.status !== 202) throw new Error(`code request: ${JSON.stringify(asked.body)}`);
    this.#readOutbox();
    const code = this.#codes.get(contact);
    if (!code) {
      throw new Error(
        `no sign-in code for ${contact} in ${this.outboxFile}: is the server using this DATA_DIR and NOTIFY_CHANNEL=outbox?`,
      );
    }
    const verified = await this.call('POST', '/api/auth/verify', { contact, code });
    if (verified.status !== 200) throw new Error(`verify: ${JSON.stringify(verified.body)}`);
    return { cookie: verified.headers.get('set-cookie')!.split(';')[0]!, csrf: verified.body.csrfToken };
  }
}
