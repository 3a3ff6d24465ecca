// A message as the live channels see it: the outbox fields plus, for appointment messages, what the
// e-mail needs to attach a calendar entry and the booking code as a QR image.
import * as crypto from 'node:crypto';
import type { OutgoingMessage } from './channel.ts';
import type { NotificationRequest } from './request.ts';

export type AppointmentInfo = NonNullable<NotificationRequest['appointment']>;

export interface NotifyMessage extends OutgoingMessage {
  appointment?: AppointmentInfo;
  /**
   * Sent to the provider as its idempotency key (SMS gateway `id`, e-mail Message-ID). The same for every
   * try of one message, so a provider that deduplicates drops a resend after an unknown outcome.
   */
  providerRef?: string;
}

/** The reference providers see: derived from the idempotency key, without the account id in clear. */
export function providerRefFor(idKey: string): string {
  return sha256Hex(idKey).slice(0, 32);
}

// One per message: the one-shot hash (Node ≥ 20.12) costs a third of a Hash object; older 20.x lack it.
const sha256Hex: (s: string) => string =
  typeof crypto.hash === 'function'
    ? (s) => crypto.hash('sha256', s, 'hex')
    : (s) => crypto.createHash('sha256').update(s).digest('hex');
