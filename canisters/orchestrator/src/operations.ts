/** Operator endpoints: what an admin needs to see that the outbox did not deliver. */

import type { ApiError } from '../../../shared/common/errors';
import { OrchestratorMethods, type PageRequest } from '../../../shared/workflow';
import { method } from '../../common/method';
import { listDeadLetters, type DeadLetterPage } from '../../common/outbox/dead-letters';
import { deadLetters, deployment } from './state';
import * as runtime from './runtime';
import type { Result } from '../../../shared/common/result';

export class OperationsMethods {
    /**
     * Outbox entries that were not delivered and why: refused (a reject retrying cannot
     * change), given up (out of attempts) or trapping every time they were handled. Oldest
     * first; pass `next_cursor` back for the next page.
     * Call context: query. Callers: configured admins and controllers only.
     * Errors: Unauthorized, InvalidInput (limit above 100).
     */
    @method(OrchestratorMethods.list_dead_letters)
    list_dead_letters(page: PageRequest): Result<DeadLetterPage, ApiError> {
        const caller = runtime.caller();
        return listDeadLetters(deadLetters, caller, deployment.isAdmin(caller), page);
    }
}
