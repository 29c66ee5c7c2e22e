/**
 * Where a canister keeps the outbox entries it did not deliver, with their reason, so an
 * operator sees them (`list_dead_letters`) instead of their being dropped. One stable map per
 * canister (its own memory id); ids sort in the order the entries were enqueued.
 */
import { StableBTreeMap, type Principal } from 'azle';

import { encodeDeadLetterReason, type DeadLetter, type DeadLetterReason } from '../../../shared/common/dead-letter';
import { apiError, type ApiError } from '../../../shared/common/errors';
import { err, type Result } from '../../../shared/common/result';

export type StoredDeadLetter = { schema_version: 1; id: string; what: string; reason: DeadLetterReason; enqueuedAt: bigint; deadAt: bigint };

export class DeadLetterStore {
    private readonly map: StableBTreeMap<string, StoredDeadLetter>;

    constructor(memoryId: number) {
        this.map = new StableBTreeMap<string, StoredDeadLetter>(memoryId);
    }

    add(id: string, what: string, reason: DeadLetterReason, enqueuedAt: bigint, now: bigint): void {
        this.map.insert(id, { schema_version: 1, id, what, reason, enqueuedAt, deadAt: now });
    }

    /** Dead letters after `cursor`, at most `limit`, and the cursor of the next page. */
    page(cursor: string | undefined, limit: number): { items: DeadLetter[]; next_cursor: [] | [string] } {
        const after = this.map.values().filter((d) => cursor === undefined || d.id > cursor);
        const items = after.slice(0, limit).map((d) => ({ id: d.id, what: d.what, reason: encodeDeadLetterReason(d.reason), enqueued_at: d.enqueuedAt, dead_at: d.deadAt }));
        const last = items[items.length - 1];
        return { items, next_cursor: after.length > limit && last !== undefined ? [last.id] : [] };
    }
}

/** A page of dead letters, as `list_dead_letters` answers it. */
export type DeadLetterPage = { items: DeadLetter[]; next_cursor: [] | [string] };

/** Default and largest page of `list_dead_letters`. */
export const DEAD_LETTER_PAGE = { default: 20, max: 100 } as const;

/**
 * The body of every canister's `list_dead_letters`: admins and controllers only
 * (`Unauthorized`), `limit` 0 means the default, above the cap is `InvalidInput`.
 *
 * Call context: query.
 */
export function listDeadLetters(store: DeadLetterStore, caller: Principal, isAdmin: boolean, page: { cursor: [] | [string]; limit: number }): Result<DeadLetterPage, ApiError> {
    if (!isAdmin) return err(apiError.unauthorized(caller));
    if (page.limit > DEAD_LETTER_PAGE.max) return err(apiError.invalidInput('limit', `at most ${DEAD_LETTER_PAGE.max}`));
    return { Ok: store.page(page.cursor[0], page.limit === 0 ? DEAD_LETTER_PAGE.default : page.limit) };
}
