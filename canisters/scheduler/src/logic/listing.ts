/**
 * The page size `list_persistent_scheduled_executions` serves: the shared clamp
 * (shared/common/page.ts), plus this method's own rule that a `limit` of 0 is refused. The
 * clamp is the page's own bound: the listing's scan budget (indexes.ts, `LISTING_SCAN_BUDGET`)
 * happens to be the same 20 today, so only the clamp's tests notice if it goes.
 */
import { err, ok, type Result } from '../../../../shared/common/result';
import type { ApiError } from '../../../../shared/common/errors';
import { MAX_PAGE_SIZE, pageLimit } from '../../../../shared/common/page';

/**
 * The asked `limit` (a full page when none is named), at most {@link MAX_PAGE_SIZE}; a limit
 * of 0 is `InvalidInput` (`limit`).
 *
 * @example
 * scheduleListLimit(1000); // { Ok: 20 }
 */
export function scheduleListLimit(requested: number | undefined): Result<number, ApiError> {
    return requested === 0 ? err({ InvalidInput: { field: 'limit', message: 'must be at least 1' } }) : ok(pageLimit(requested));
}
