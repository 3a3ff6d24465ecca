// An account as the API shows it, to the applicant and to admins alike: the contact masked.
import { maskContact } from '../domain/contact.ts';
import type { Account } from '../store/accounts/index.ts';

export function accountView(account: Account) {
  return {
    id: account.id,
    contact: maskContact(account.contact),
    contactKind: account.contactKind,
    lang: account.lang,
  };
}
