/**
 * `list_dead_letters`, one implementation and one wiring for every canister with an outbox:
 * its `index.ts` composes the class this returns, built from its dead-letter store and its
 * deployment (whose admins may read them).
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
 * export default [..., deadLetterMethods(deadLetters, deployment, runtime.caller)];
 */
export function deadLetterMethods(store: DeadLetterStore, admins: { isAdmin(caller: Principal): boolean }, caller: () => Principal) {
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
            return listDeadLetters(store, who, admins.isAdmin(who), page);
        }
    }
    return DeadLetterMethods;
}
