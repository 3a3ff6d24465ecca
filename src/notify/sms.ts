// SMS through a generic HTTP gateway: POST {to, text, id} with a bearer token; a 2xx means accepted and may
// carry {messageId}. `id`, also sent as the Idempotency-Key header, is stable across tries so a gateway that
// deduplicates can drop a resend.
import type { Channel } from './channel.ts';
import { type NotifyMessage, providerRefFor } from './message.ts';
import { ProviderError } from './provider-error.ts';

export interface SmsGatewayOptions {
  url: string;
  token?: string;
  timeoutMs: number;
}

export class SmsGatewayChannel implements Channel {
  readonly name = 'sms';

  constructor(private readonly opts: SmsGatewayOptions) {}

  async send(message: NotifyMessage): Promise<{ providerId: string | null }> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json',
    };
    if (this.opts.token) headers.authorization = `Bearer ${this.opts.token}`;
    const id = message.providerRef ?? providerRefFor(message.id);
    // The same key on every try of one message: a gateway that honours it sends a resend after an
    // unknown outcome (a crash or timeout after it accepted) only once.
    headers['idempotency-key'] = id;
    let res: Response;
    try {
      res = await fetch(this.opts.url, {
        method: 'POST',
        headers,
        body: JSON.stringify({ to: message.to, text: message.text, id }),
        signal: AbortSignal.timeout(this.opts.timeoutMs),
      });
    } catch (err) {
      const timedOut = err instanceof Error && err.name === 'TimeoutError';
      throw new ProviderError(
        timedOut ? `sms gateway timed out after ${this.opts.timeoutMs} ms` : 'sms gateway unreachable',
        false,
      );
    }
    if (res.ok) {
      // Accepted from here on: a slow or malformed body must not turn an accepted SMS into a retry.
      const body = (await res.json().catch(() => null)) as { messageId?: unknown } | null;
      return { providerId: typeof body?.messageId === 'string' ? body.messageId.slice(0, 200) : null };
    }
    await res.body?.cancel().catch(() => {});
    // 408 and 429 are the gateway asking us to come back later; other 4xx will be refused again.
    const permanent = res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429;
    throw new ProviderError(`sms gateway answered ${res.status}`, permanent, res.status);
  }
}
