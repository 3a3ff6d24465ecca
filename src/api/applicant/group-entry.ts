// Who may enter one draw together, as the join route asks it: the persons named, on this account, checked
// by the domain's group rule (household limit, no person twice, a minor only with an adult on the service
// day). Refusals are 4xx answers that name the persons concerned; nothing is written before they pass.
import { type GroupRefusal, groupRefusal } from '../../domain/group.ts';
import { ApiError } from '../../http/errors.ts';
import type { Person } from '../../store/accounts/index.ts';

export function groupError(refusal: GroupRefusal): ApiError {
  switch (refusal.code) {
    case 'group_empty':
      return new ApiError(400, 'invalid_input', 'name at least one person', {
        fields: [{ path: 'personIds', message: 'empty' }],
      });
    case 'group_duplicate':
      return new ApiError(400, 'invalid_input', 'a person is named twice', {
        fields: [{ path: 'personIds', message: 'duplicate person' }],
        personId: refusal.personId,
      });
    case 'group_too_large':
      return new ApiError(400, 'group_too_large', `a group has at most ${refusal.limit} persons`, {
        fields: [{ path: 'personIds', message: `at most ${refusal.limit}` }],
        limit: refusal.limit,
      });
    case 'minor_without_adult':
      return new ApiError(
        409,
        'minor_without_adult',
        'a person under 17 on the service day enters only together with an adult of the account',
        { personIds: refusal.personIds },
      );
  }
}

/** Throws the 4xx answer if these persons cannot enter together for `targetDate`. */
export function assertGroupAllowed(
  persons: readonly Person[],
  targetDate: string,
  householdLimit: number,
): void {
  const refusal = groupRefusal(
    persons.map((p) => ({ personId: p.id, birthDate: p.birthDate })),
    targetDate,
    householdLimit,
  );
  if (refusal) throw groupError(refusal);
}
