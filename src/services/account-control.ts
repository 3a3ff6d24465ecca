// Blocking an account: sign-in and new entries stop at once (the flag is checked inside the join
// script), then each pending entry in an open draw is voided by its own atomic script.
import type { Logger } from '../log.ts';
import type { NotificationRequest } from '../notify/request.ts';
import type { AccountStore } from '../store/accounts/index.ts';
import type { EntryStore } from '../store/entries/index.ts';

export interface AccountControlDeps {
  accounts: AccountStore;
  entries: EntryStore;
  log: Logger;
  now: () => Date;
  notify: (req: NotificationRequest) => Promise<void>;
}

export class AccountControl {
  constructor(private readonly deps: AccountControlDeps) {}

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
    await this.deps.notify({
      event: `blocked.${this.deps.now().getTime()}`,
      accountId,
      template: 'account_blocked',
      vars: {},
    });
    return { blocked: true, voided };
  }
}
