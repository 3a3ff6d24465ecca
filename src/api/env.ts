import type { Deps } from '../deps.ts';
import type { Account } from '../store/accounts/index.ts';
import type { StaffUser } from '../store/users.ts';

export interface AppEnv {
  Variables: {
    deps: Deps;
    requestId: string;
    staff: StaffUser;
    account: Account;
    csrf: string;
  };
}
