/**
 * `list_dead_letters`, one implementation for every canister with an outbox: each composes
 * the class this returns with its own dead-letter store and admin rule.
 */
import type { Principal } from 'azle';

import { ListDeadLettersMethod } from '../../../shared/common/dead-letter';
import type { ApiError } from '../../../shared/common/errors';
import type { PageRequest } from '../../../shared/common/page';
import type { Result } from '../../../shared/common/result';
import { method } from '../method';
import { listDeadLetters, type DeadLetterPage, type DeadLetterStore } from './dead-letters';

/**
 * @example
 * export const OperationsMethods = deadLetterMethods(deadLetters, (p) => deployment.isAdmin(p), runtime.caller);
 */
export function deadLetterMethods(store: DeadLetterStore, isAdmin: (caller: Principal) => boolean, caller: () => Principal) {
    class DeadLetterMethods {
        /**
         * Outbox entries that were not delivered and why: refused (a failure retrying cannot
         * change), given up (out of attempts or time) or trapping every time they were handled.
         * Oldest first; pass `next_cursor` back for the next page.
         * Call context: query. Callers: configured admins and controllers only.
         * Errors: Unauthorized, InvalidInput (limit above 100).
         */
        @method(ListDeadLettersMethod)
        list_dead_letters(page: PageRequest): Result<DeadLetterPage, ApiError> {
            const who = caller();
            return listDeadLetters(store, who, isAdmin(who), page);
        }
    }
    return DeadLetterMethods;
}
