/**
 * The schedule quota: what one owner may hold of the scheduler's 20,000 slots. Each schedule
 * costs DeFlow a start (an inter-canister call) per firing, so the anonymous principal, which
 * owns nothing, may hold none, and no owner may take every slot.
 */
import type { Principal } from '@dfinity/principal';

import { apiError, type ApiError } from '../../../../shared/common/errors';

/** Most schedules one scheduler holds: bounds a listing scan and the cost of a full migration. */
export const MAX_SCHEDULES = 20_000;

/** Schedules one owner may hold by default (admins change it: `set_schedule_quota`); one more is refused (`LimitExceeded { schedules_per_owner }`). */
export const MAX_SCHEDULES_PER_OWNER = 100;

/**
 * Why `owner` may not create one more schedule, holding `owned` already: `Unauthorized` for
 * the anonymous principal, `LimitExceeded` at the quota; `undefined` if they may.
 *
 * @example
 * scheduleQuotaRefusal(Principal.anonymous(), 0); // { Unauthorized: { caller: 2vxsx-fae } }
 */
export function scheduleQuotaRefusal(owner: Principal, owned: number, max: number = MAX_SCHEDULES_PER_OWNER): ApiError | undefined {
    if (owner.isAnonymous()) return apiError.unauthorized(owner);
    return owned >= max ? apiError.limitExceeded('schedules_per_owner', BigInt(max)) : undefined;
}
