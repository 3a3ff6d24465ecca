// Delivery log API, mounted in src/app.ts:
//   app.route('/api/me/messages', myMessageRoutes);    // before app.route('/api/me', meRoutes)
//   app.route('/api/admin', adminMessageRoutes);
// Admin views mask contacts, and never show a sign-in code: an admin holding one could sign in as the
// applicant.
import { Hono } from 'hono';
import { z } from 'zod';
import { maskContact } from '../domain/contact.ts';
import { ApiError, notFound } from '../http/errors.ts';
import { OutboxChannel } from '../notify/channel.ts';
import { DeliveryLog } from '../notify/delivery-log.ts';
import { outboxTail } from '../notify/outbox-tail.ts';
import { accountView } from './account-view.ts';
import type { AppEnv } from './env.ts';
import { requireApplicant } from './middleware/applicant-auth.ts';
import { requireStaff } from './middleware/staff-auth.ts';

const idSchema = z.string().regex(/^[a-z0-9]{12}$/);
const limitQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) });

function limitOf(query: Record<string, string>): number {
  const q = limitQuery.safeParse(query);
  if (!q.success) throw new ApiError(400, 'invalid_input', 'limit must be 1-500');
  return q.data.limit;
}

export const myMessageRoutes = new Hono<AppEnv>().use('*', requireApplicant()).get('/', async (c) => {
  const deps = c.get('deps');
  const messages = await new DeliveryLog(deps.redis).list(c.get('account').id, limitOf(c.req.query()));
  return c.json({ messages });
});

// Middleware per route, not '*': this app is mounted on /api/admin next to routes officers may use.
export const adminMessageRoutes = new Hono<AppEnv>()
  .get('/accounts/:id/messages', requireStaff('admin'), async (c) => {
    const deps = c.get('deps');
    const id = idSchema.safeParse(c.req.param('id'));
    const account = id.success ? await deps.accounts.get(id.data) : null;
    if (!account) throw notFound('account');
    const messages = await new DeliveryLog(deps.redis).list(account.id, limitOf(c.req.query()));
    return c.json({
      account: accountView(account),
      messages,
    });
  })
  .get('/outbox', requireStaff('admin'), async (c) => {
    const deps = c.get('deps');
    const file = new OutboxChannel(deps.config.DATA_DIR).file;
    const rows = await outboxTail(file, limitOf(c.req.query()));
    const messages = rows.map((m) => ({
      id: m.id,
      channel: m.channel,
      to: typeof m.to === 'string' ? maskContact(m.to) : null,
      template: m.template,
      lang: m.lang,
      subject: m.subject,
      text: m.template === 'signin_code' ? null : m.text,
      accountId: m.accountId ?? null,
      sentAt: m.sentAt,
    }));
    return c.json({ messages });
  });
