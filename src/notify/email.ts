// E-mail over SMTP with nodemailer. The Message-ID is derived from the idempotency key, so every try of
// one message carries the same id and a receiving system (or a human) can recognise a resend.
import { createTransport, type Transporter } from 'nodemailer';
import type { Channel } from './channel.ts';
import { emailContent } from './email-content.ts';
import { type NotifyMessage, providerRefFor } from './message.ts';
import { ProviderError } from './provider-error.ts';

export interface EmailOptions {
  url: string;
  from: string;
  timeoutMs: number;
  now?: () => Date;
}

export class EmailChannel implements Channel {
  readonly name = 'email';
  private readonly transport: Transporter;
  private readonly domain: string;

  constructor(private readonly opts: EmailOptions) {
    // No pool: one connection per message keeps the timeouts per message and nothing to close at shutdown.
    this.transport = createTransport({
      url: opts.url,
      connectionTimeout: opts.timeoutMs,
      greetingTimeout: opts.timeoutMs,
      socketTimeout: opts.timeoutMs,
    });
    this.domain = /@([^\s>]+)>?\s*$/.exec(opts.from)?.[1] ?? 'fairslot.invalid';
  }

  async send(message: NotifyMessage): Promise<{ providerId: string | null }> {
    const content = await emailContent(message, this.opts.now?.() ?? new Date());
    const messageId = `<${message.providerRef ?? providerRefFor(message.id)}@${this.domain}>`;
    try {
      const info = await this.transport.sendMail({
        from: this.opts.from,
        to: message.to,
        subject: message.subject ?? '',
        text: content.text,
        html: content.html,
        attachments: content.attachments,
        messageId,
        // Tells auto-responders not to answer (RFC 3834).
        headers: { 'Auto-Submitted': 'auto-generated' },
      });
      return { providerId: info.messageId ?? messageId };
    } catch (err) {
      throw classifySmtpError(err);
    }
  }
}

// SMTP's codes run the other way from HTTP's: 4xx is "try again later", 5xx is final (RFC 5321 §4.2.1).
function classifySmtpError(err: unknown): ProviderError {
  const e = err as { responseCode?: number; code?: string; message?: string };
  const code = typeof e.responseCode === 'number' ? e.responseCode : null;
  if (code !== null) {
    return new ProviderError(`smtp server answered ${code}`, code >= 500 && code < 600, code);
  }
  // A message nodemailer cannot even build (no recipient, bad address) fails the same way every time.
  if (e.code === 'EENVELOPE' || e.code === 'EMESSAGE') return new ProviderError(`smtp ${e.code}`, true);
  return new ProviderError(`smtp ${e.code ?? 'error'}: connection failed or timed out`, false);
}
