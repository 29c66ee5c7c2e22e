/** The scheduler's error values (typed `ApiError` variants; callers match the tag). */
import type { Principal } from 'azle';

import { apiError, type ApiError } from '../../../shared/common/errors';

import { MAX_SCHEDULES } from './logic/quota';

export { MAX_SCHEDULES };

export const schedulerError = {
    scheduleNotFound: (id: string): ApiError => apiError.notFound('schedule', id),
    unauthorized: (caller: Principal): ApiError => apiError.unauthorized(caller),
    tooManySchedules: (): ApiError => apiError.limitExceeded('schedules', BigInt(MAX_SCHEDULES))
};
