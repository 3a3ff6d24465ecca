import type { Deps } from '../deps.ts';
import type { StaffUser } from '../store/users.ts';

export interface AppEnv {
  Variables: {
    deps: Deps;
    requestId: string;
    staff: StaffUser;
  };
}
