// What the rest of the system hands to notify: one message to an applicant about one event. Services
// depend on this port only; the notifications queue (notifications.ts) is one sink, the simulation and
// tests put their own in its place.
import type { TemplateName, TemplateVars } from './templates.ts';

/** One message to an applicant about one event; the idempotency key is event + account + template. */
export interface NotificationRequest {
  event: string;
  accountId: string;
  template: TemplateName;
  /** Strings as they are; a {at, tz} instant is shown in the office zone and the applicant's language. */
  vars: TemplateVars;
  appointment?: { code: string; officeName: string; address: string; tz: string; start: string; end: string };
}

export interface NotificationSink {
  enqueue(req: NotificationRequest): Promise<void>;
}
