/** Operator endpoints: what an admin needs to see that the outbox did not deliver. */
import { msgCaller, query } from 'azle';

import type { DeadLetter } from '../../../shared/common/dead-letter';
import { apiError } from '../../../shared/common/errors';
import { OrchestratorMethods, fromOpt, toOpt, type PageRequest, type WorkflowError } from '../../../shared/workflow';
import { sig } from '../../common/method-sig';
import { validate } from './errors';
import { deployment, listDeadLetters } from './state';
import { DEFAULT_PAGE_SIZE, PageSchema } from './workflows';

export class OperationsMethods {
    /**
     * Outbox entries that were not delivered and why: refused (a reject retrying cannot
     * change), given up (out of attempts) or trapping every time they were handled. Oldest
     * first; pass `next_cursor` back for the next page.
     * Call context: query. Callers: configured admins and controllers only.
     * Errors: Unauthorized, InvalidInput (limit above the cap).
     */
    @query(...sig(OrchestratorMethods.list_dead_letters))
    list_dead_letters(page: PageRequest): { Ok: { items: DeadLetter[]; next_cursor: [] | [string] } } | { Err: WorkflowError } {
        const caller = msgCaller();
        if (!deployment.isAdmin(caller)) return { Err: apiError.unauthorized(caller) };
        const valid = validate(PageSchema, page);
        if ('Err' in valid) return valid;
        const found = listDeadLetters(fromOpt(page.cursor), page.limit === 0 ? DEFAULT_PAGE_SIZE : page.limit);
        return { Ok: { items: found.items, next_cursor: toOpt(found.next) } };
    }
}
