// Applicant accounts, one concept a file: the account (account.ts), sign-in codes (sign-in-codes.ts),
// the persons it applies for (persons.ts) and NIK key rotation (nik-move.ts). AccountStore is the one
// object callers hold.
import type { RedisClient } from '../../redis/connection.ts';
import type { FlagStore } from '../flags.ts';
import * as account from './account.ts';
import type { AccountContext, AccountSecrets } from './context.ts';
import { movePerson } from './nik-move.ts';
import * as persons from './persons.ts';
import * as codes from './sign-in-codes.ts';

export { ACCOUNT_FIELDS, type Account, accountFromFields, IP_ACCOUNTS_FLAG_THRESHOLD } from './account.ts';
export { type AccountSecrets, newId } from './context.ts';
export type { AddPersonResult, IdentityStatus, Person, PersonInput } from './persons.ts';
export { type IssueResult, OTP, type VerifyResult } from './sign-in-codes.ts';

export class AccountStore {
  private readonly ctx: AccountContext;

  constructor(redis: RedisClient, secrets: AccountSecrets, flags: FlagStore, now: () => Date) {
    this.ctx = { redis, secrets, flags, now };
  }

  contactKey(contact: string): string {
    return account.contactKey(this.ctx, contact);
  }
  hashNik(nik: string): string {
    return persons.hashNik(this.ctx, nik);
  }
  previousNikHash(nik: string): string | null {
    return persons.previousNikHash(this.ctx, nik);
  }
  ensureAccount(contact: string, kind: 'phone' | 'email', lang: 'id' | 'en'): Promise<string> {
    return account.ensureAccount(this.ctx, contact, kind, lang);
  }
  accountIdForContact(contact: string): Promise<string | null> {
    return account.accountIdForContact(this.ctx, contact);
  }
  get(id: string): Promise<account.Account | null> {
    return account.getAccount(this.ctx, id);
  }
  setLang(id: string, lang: 'id' | 'en'): Promise<void> {
    return account.setLang(this.ctx, id, lang);
  }
  issueCode(
    contact: string,
    sendMs: number,
    send: (code: string) => Promise<void>,
    perWindow?: number,
  ): Promise<codes.IssueResult> {
    return codes.issueCode(this.ctx, contact, sendMs, send, perWindow);
  }
  verifyCode(contact: string, code: string): Promise<codes.VerifyResult> {
    return codes.verifyCode(this.ctx, contact, code);
  }
  markVerified(id: string, ip: string): Promise<void> {
    return account.markVerified(this.ctx, id, ip);
  }
  persons(accountId: string): Promise<persons.Person[]> {
    return persons.persons(this.ctx, accountId);
  }
  setIdentity(accountId: string, personId: string, identity: persons.IdentityStatus) {
    return persons.setIdentity(this.ctx, accountId, personId, identity);
  }
  removePerson(accountId: string, found: persons.Person): Promise<void> {
    return persons.removePerson(this.ctx, accountId, found);
  }
  person(accountId: string, personId: string): Promise<persons.Person | null> {
    return persons.person(this.ctx, accountId, personId);
  }
  addPerson(
    accountId: string,
    input: persons.PersonInput,
    householdLimit: number,
  ): Promise<persons.AddPersonResult> {
    return persons.addPerson(this.ctx, accountId, input, householdLimit);
  }
  movePerson(
    accountId: string,
    oldHash: string,
    newHash: string,
  ): Promise<'moved' | 'deferred' | 'unbound' | 'conflict'> {
    return movePerson(this.ctx, accountId, oldHash, newHash);
  }
  counters(accountId: string): Promise<Record<string, number>> {
    return account.counters(this.ctx, accountId);
  }
  setBlocked(accountId: string, blocked: boolean, by: string): Promise<boolean> {
    return account.setBlocked(this.ctx, accountId, blocked, by);
  }
  purgeUnverified(maxAgeMs: number, batch = 500): Promise<number> {
    return account.purgeUnverified(this.ctx, maxAgeMs, batch);
  }
}
