// Sign-in codes skip the queue: the applicant is waiting at the screen, and a code is useless after a few
// minutes, so a retry hours later would only confuse. They still take the configured channel and appear in
// the delivery log (without the code).
import type { Logger } from '../log.ts';
import type { OutgoingMessage } from './channel.ts';
import type { DeliveryLog } from './delivery-log.ts';
import { asProviderError } from './provider-error.ts';
import type { ChannelRouter } from './router.ts';

/** Sends a message at once, outside the queue. */
export interface Notifier {
  /** Sign-in codes go out at once: an applicant is waiting at the screen. */
  sendNow(message: OutgoingMessage): Promise<void>;
}

export class DirectNotifier implements Notifier {
  constructor(
    private readonly router: ChannelRouter,
    private readonly deliveries: DeliveryLog,
    private readonly log: Logger,
    private readonly now: () => Date,
  ) {}

  async sendNow(message: OutgoingMessage): Promise<void> {
    const channel = this.router.for(message.channel);
    const base = { id: message.id, template: message.template, channel: channel.name };
    try {
      await channel.send(message);
    } catch (err) {
      const pe = asProviderError(err);
      this.log.warn(
        { id: message.id, channel: channel.name, status: pe.status },
        `direct send failed: ${pe.message}`,
      );
      if (message.accountId) {
        await this.deliveries.add(message.accountId, {
          ...base,
          state: 'failed',
          at: this.now().toISOString(),
          error: pe.message,
        });
      }
      throw pe;
    }
    if (message.accountId) {
      await this.deliveries.add(message.accountId, { ...base, state: 'sent', at: this.now().toISOString() });
    }
  }
}
