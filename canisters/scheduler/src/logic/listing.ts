/**
 * The page size `list_persistent_scheduled_executions` serves. The clamp is the page's own
 * bound: the listing's scan budget (indexes.ts, `LISTING_SCAN_BUDGET`) happens to be the same
 * 20 today, so only this function's test notices if the clamp goes.
 */
import { err, ok, type Result } from '../../../../shared/common/result';
import type { ApiError } from '../../../../shared/common/errors';
import { MAX_PAGE_SIZE } from '../../../../shared/scheduling/service';

/**
 * The asked `limit` (a full page when none is named), at most {@link MAX_PAGE_SIZE}; a limit
 * of 0 is `InvalidInput` (`limit`).
 *
 * @example
 * pageLimit(1000); // { Ok: 20 }
 */
export function pageLimit(requested: number | undefined): Result<number, ApiError> {
    const limit = Math.min(requested ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE);
    return limit === 0 ? err({ InvalidInput: { field: 'limit', message: 'must be at least 1' } }) : ok(limit);
}
