// Blocking an account: sign-in and new entries stop at once (the flag is checked inside the join
// script), then each pending entry in an open draw is voided by its own atomic script.
import type { Deps } from '../deps.ts';
import { render } from '../notify/templates.ts';

export class AccountControl {
  constructor(private readonly deps: Pick<Deps, 'accounts' | 'entries' | 'log' | 'notifier'>) {}

  async block(
    accountId: string,
    by: string,
    reason: string,
  ): Promise<{ blocked: true; voided: number } | null> {
    const { accounts, entries } = this.deps;
    if (!(await accounts.setBlocked(accountId, true, by))) return null;
    const persons = new Map((await accounts.persons(accountId)).map((p) => [p.id, p]));
    let voided = 0;
    for (const e of await entries.forAccount(accountId)) {
      const person = persons.get(e.personId);
      if (e.status !== 'pending' || !person) continue;
      if ((await entries.withdraw(accountId, { ...e, nikHash: person.nikHash }, 'void')) === 'done') voided++;
    }
    this.deps.log.info({ accountId, by, voided, reasonLength: reason.length }, 'account blocked');
    const account = await accounts.get(accountId);
    if (account) {
      const msg = render('account_blocked', account.lang);
      await this.deps.notifier.sendNow({
        id: `blocked:${accountId}:${Date.now()}`,
        channel: account.contactKind === 'phone' ? 'sms' : 'email',
        to: account.contact,
        template: 'account_blocked',
        lang: account.lang,
        subject: msg.subject,
        text: msg.text,
        accountId,
      });
    }
    return { blocked: true, voided };
  }
}
