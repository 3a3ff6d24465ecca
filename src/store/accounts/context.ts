// What the account store's parts share: the client, the keys that hash contacts and NIKs, the flag
// store for abuse evidence, and the clock.
import { customAlphabet } from 'nanoid';
import type { RedisClient } from '../../redis/connection.ts';
import { keys } from '../../redis/keys.ts';
import { runScript } from '../../redis/scripts.ts';
import type { FlagStore } from '../flags.ts';

export const newId = customAlphabet('23456789abcdefghjkmnpqrstuvwxyz', 12);

export interface AccountSecrets {
  nikHashKey: string;
  nikHashKeyPrevious?: string | null;
  appSecret: string;
}

export interface AccountContext {
  redis: RedisClient;
  secrets: AccountSecrets;
  flags: FlagStore;
  now: () => Date;
}

/** Counts one kind of abuse on the account; true only the first time, so it is flagged once. */
export async function flagOnce(
  ctx: AccountContext,
  accountId: string,
  counter: string,
  reason: string,
): Promise<boolean> {
  return (
    (await runScript<number>(ctx.redis, 'accountFlag', [keys.account(accountId)], [counter, reason])) === 1
  );
}
