// Blocking an account: sign-in and new entries stop at once (the flag is checked inside the join
// script), then each pending entry in an open draw is voided by its own atomic script.
import type { Deps } from '../deps.ts';

export class AccountControl {
  constructor(private readonly deps: Pick<Deps, 'accounts' | 'entries' | 'log' | 'notifications' | 'now'>) {}

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
    await this.deps.notifications?.enqueue({
      event: `blocked.${this.deps.now().getTime()}`,
      accountId,
      template: 'account_blocked',
      vars: {},
    });
    return { blocked: true, voided };
  }
}
