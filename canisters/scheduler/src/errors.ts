/** The scheduler's error values (typed `ApiError` variants; callers match the tag). */
import type { Principal } from 'azle';

import { apiError, type ApiError } from '../../../shared/common/errors';

/** Most schedules one scheduler holds: bounds a listing scan and the cost of a full migration. */
export const MAX_SCHEDULES = 20_000;

export const schedulerError = {
    scheduleNotFound: (id: string): ApiError => apiError.notFound('schedule', id),
    unauthorized: (caller: Principal): ApiError => apiError.unauthorized(caller),
    tooManySchedules: (): ApiError => apiError.limitExceeded('schedules', BigInt(MAX_SCHEDULES))
};
