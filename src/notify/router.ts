// Which channel carries a message: the kind of contact the applicant verified decides (phone → SMS,
// e-mail → e-mail). NOTIFY_CHANNEL=outbox sends everything to the outbox file. In 'live' mode a kind
// without a configured provider falls back to the outbox with a warning at start-up, so a development
// stack with only a mail catcher still lets phone users sign in; production sets both providers.
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { type Channel, OutboxChannel } from './channel.ts';
import { EmailChannel } from './email.ts';
import { SmsGatewayChannel } from './sms.ts';

export type MessageKind = 'sms' | 'email';

export class ChannelRouter {
  readonly outbox: OutboxChannel;
  /**
   * The channel every message takes whatever the applicant's contact (the outbox, with
   * NOTIFY_CHANNEL=outbox), else null. Known before the account is read, so a send can claim its record
   * meanwhile.
   */
  readonly sole: Channel | null;
  private readonly channels: Record<MessageKind, Channel>;

  constructor(config: Config, log: Logger, now: () => Date = () => new Date()) {
    this.outbox = new OutboxChannel(config.DATA_DIR);
    const live = config.NOTIFY_CHANNEL === 'live';
    const sms =
      live && config.SMS_GATEWAY_URL
        ? new SmsGatewayChannel({
            url: config.SMS_GATEWAY_URL,
            token: config.SMS_GATEWAY_TOKEN,
            timeoutMs: config.NOTIFY_TIMEOUT_MS,
          })
        : this.outbox;
    const email =
      live && config.SMTP_URL && config.SMTP_FROM
        ? new EmailChannel({
            url: config.SMTP_URL,
            from: config.SMTP_FROM,
            timeoutMs: config.NOTIFY_TIMEOUT_MS,
            now,
          })
        : this.outbox;
    this.channels = { sms, email };
    this.sole = sms === email ? sms : null;
    if (live) {
      for (const [kind, ch] of Object.entries(this.channels)) {
        if (ch === this.outbox)
          log.warn({ kind }, 'NOTIFY_CHANNEL=live but no provider for this kind: outbox');
      }
    }
  }

  for(kind: MessageKind): Channel {
    return this.channels[kind];
  }
}

export const kindForContact = (contactKind: 'phone' | 'email'): MessageKind =>
  contactKind === 'phone' ? 'sms' : 'email';
