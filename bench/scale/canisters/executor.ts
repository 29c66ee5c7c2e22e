/** The executor's bench build: the production canister plus `bulk_load` (see contract.ts). */
import { msgCaller, time } from 'azle';

import { apiError } from '../../../shared/common/errors';
import { decodeNodeTask, type NodeAttemptRequest, type WorkflowError } from '../../../shared/workflow';
import { method } from '../../../canisters/common/method';
import production from '../../../canisters/executor/src/index';
import { acceptAttempt, attemptKeyText } from '../../../canisters/executor/src/logic';
import { armWake } from '../../../canisters/executor/src/runner';
import { deployment, getAttempt, putAttempt } from '../../../canisters/executor/src/state';
import { ExecutorBulkLoadMethod } from './contract';

type R<T> = { Ok: T } | { Err: WorkflowError };

class BulkLoadMethods {
    /** Records each attempt as run_node_attempt does. Call context: update; admins only (and only in this build). */
    @method(ExecutorBulkLoadMethod)
    bulk_load(requests: NodeAttemptRequest[]): R<number> {
        if (!deployment.isAdmin(msgCaller())) return { Err: apiError.unauthorized(msgCaller()) };
        const now = time();
        let created = 0;
        for (const req of requests) {
            const key = { executionId: req.key.execution_id, nodeId: req.key.node_id, attempt: req.key.attempt };
            const r = acceptAttempt(getAttempt(attemptKeyText(key)), { key, dueAt: req.due_at, timeoutMs: Number(req.timeout_ms), task: decodeNodeTask(req.task), owner: req.owner[0]?.toText() }, now);
            if (r.created) {
                putAttempt(r.attempt);
                created += 1;
            }
        }
        armWake(now);
        return { Ok: created };
    }
}

export default [...production, BulkLoadMethods];
