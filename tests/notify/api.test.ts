// Delivery log through the API: the applicant sees their own messages; admins see any account's log and
// the outbox, with contacts masked and sign-in codes withheld.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminMessageRoutes, myMessageRoutes } from '../../src/api/messages.ts';
import {
  call,
  outbox,
  signInApplicant,
  signInStaff,
  startTestSystem,
  type TestSystem,
} from '../support/system.ts';

let sys: TestSystem;
let applicant: Record<string, string>;
let accountId: string;

beforeAll(async () => {
  // HTTP only: no queues, so enqueue delivers inline to the outbox.
  sys = await startTestSystem();
  // Mounted as src/app.ts should (routes must be added before the first request builds the router).
  sys.app.route('/api/me/messages', myMessageRoutes);
  sys.app.route('/api/admin', adminMessageRoutes);
  applicant = await signInApplicant(sys, '0812-3456-7890');
  accountId = (await sys.deps.accounts.accountIdForContact('+6281234567890'))!;
  await sys.deps.notifications!.enqueue({
    event: 'confirmed:K7M2Q9',
    accountId,
    template: 'confirmed',
    vars: {
      office: 'Kanim Jakarta Selatan',
      slot: { at: '2026-12-02T01:00:00Z', tz: 'Asia/Jakarta' },
      code: 'K7M2Q9',
    },
  });
});
afterAll(() => sys.stop());

describe('GET /api/me/messages', () => {
  it('lists the applicant’s deliveries, newest first, without texts or addresses', async () => {
    const res = await call(sys, 'GET', '/api/me/messages', undefined, applicant);
    expect(res.status).toBe(200);
    expect(res.body.messages).toEqual([
      {
        id: `confirmed:K7M2Q9:${accountId}:confirmed`,
        template: 'confirmed',
        channel: 'outbox',
        state: 'sent',
        at: expect.any(String),
      },
      expect.objectContaining({ template: 'signin_code', channel: 'outbox', state: 'sent' }),
    ]);
    expect(JSON.stringify(res.body)).not.toContain('6281234567890');
    const sent = outbox(sys).find((m) => m.template === 'confirmed')!;
    expect(sent.text).toBe(
      'Jadwal dikonfirmasi: Kanim Jakarta Selatan, Rabu, 2 Desember 2026 08.00 WIB. Kode K7M2Q9. Bawa KTP asli.',
    );
  });

  it('needs a signed-in applicant', async () => {
    expect((await call(sys, 'GET', '/api/me/messages')).status).toBe(401);
  });

  it('the same event enqueued again sends nothing more', async () => {
    await sys.deps.notifications!.enqueue({
      event: 'confirmed:K7M2Q9',
      accountId,
      template: 'confirmed',
      vars: { office: 'x', slot: 'y', code: 'K7M2Q9' },
    });
    expect(outbox(sys).filter((m) => m.template === 'confirmed')).toHaveLength(1);
    const res = await call(sys, 'GET', '/api/me/messages?limit=1', undefined, applicant);
    expect(res.body.messages).toHaveLength(1);
  });
});

describe('admin views', () => {
  it('an account’s messages with the contact masked', async () => {
    const admin = await signInStaff(sys, { username: 'root', role: 'admin' });
    const res = await call(sys, 'GET', `/api/admin/accounts/${accountId}/messages`, undefined, admin);
    expect(res.status).toBe(200);
    expect(res.body.account).toEqual({
      id: accountId,
      contact: '+62812****7890',
      contactKind: 'phone',
      lang: 'id',
    });
    expect(res.body.messages.map((m: { template: string }) => m.template)).toEqual([
      'confirmed',
      'signin_code',
    ]);
    expect(
      (await call(sys, 'GET', '/api/admin/accounts/nosuchaccnt1/messages', undefined, admin)).status,
    ).toBe(404);
  });

  it('the outbox, newest first, masked, sign-in codes withheld', async () => {
    const admin = await signInStaff(sys, { username: 'root2', role: 'admin' });
    const res = await call(sys, 'GET', '/api/admin/outbox?limit=10', undefined, admin);
    expect(res.status).toBe(200);
    expect(res.body.messages).toHaveLength(2);
    const [confirmed, signin] = res.body.messages;
    expect(confirmed).toMatchObject({ template: 'confirmed', to: '+62812****7890', accountId });
    expect(confirmed.text).toContain('Kode K7M2Q9');
    expect(signin).toMatchObject({ template: 'signin_code', to: '+62812****7890', text: null });
    expect(JSON.stringify(res.body)).not.toContain('6281234567890');
    expect(
      (await call(sys, 'GET', '/api/admin/outbox?limit=1', undefined, admin)).body.messages,
    ).toHaveLength(1);
    expect((await call(sys, 'GET', '/api/admin/outbox?limit=0', undefined, admin)).status).toBe(400);
  });

  it('admins only', async () => {
    const officer = await signInStaff(sys, {
      username: 'clerk',
      role: 'officer',
      officeId: 'jakarta-selatan',
    });
    expect((await call(sys, 'GET', '/api/admin/outbox', undefined, officer)).status).toBe(403);
    expect(
      (await call(sys, 'GET', `/api/admin/accounts/${accountId}/messages`, undefined, officer)).status,
    ).toBe(403);
    expect((await call(sys, 'GET', '/api/admin/outbox')).status).toBe(401);
    // Signed in, but as an applicant: the wrong role, not missing credentials.
    expect((await call(sys, 'GET', '/api/admin/outbox', undefined, applicant)).status).toBe(403);
  });
});
