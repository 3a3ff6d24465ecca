// The notification-channel interface. The outbox is the default channel: one JSON line per message
// in DATA_DIR/outbox.jsonl, so a deployment with no SMS or SMTP contract still works end to end.
import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';

export interface OutgoingMessage {
  /** Idempotency key: event + recipient + template. */
  id: string;
  channel: 'sms' | 'email';
  to: string;
  template: string;
  lang: 'id' | 'en';
  subject?: string;
  text: string;
  accountId?: string;
}

export interface Channel {
  readonly name: string;
  send(message: OutgoingMessage): Promise<{ providerId: string | null }>;
}

export class OutboxChannel implements Channel {
  readonly name = 'outbox';
  readonly file: string;

  constructor(dataDir: string) {
    this.file = path.resolve(dataDir, 'outbox.jsonl');
  }

  async send(message: OutgoingMessage): Promise<{ providerId: string | null }> {
    await mkdir(path.dirname(this.file), { recursive: true });
    const line = JSON.stringify({ ...message, sentAt: new Date().toISOString() });
    await appendFile(this.file, `${line}\n`, 'utf8');
    return { providerId: null };
  }
}
