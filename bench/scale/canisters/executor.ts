/** The executor's bench build: the production canister plus `bulk_load` (see contract.ts); values are encoded with fast-json.ts (the same bytes). */
import { msgCaller, time } from 'azle';

import { apiError } from '../../../shared/common/errors';
import type { Infer } from '../../../shared/common/codec';
import { decodeNodeTask, type WorkflowError } from '../../../shared/workflow';
import { method } from '../../../canisters/common/method';
import production from '../../../canisters/executor/src/index';
import { acceptAttempt, attemptKeyText } from '../../../canisters/executor/src/logic';
import { armWake } from '../../../canisters/executor/src/runner';
import { deployment, getAttempt, putAttempt } from '../../../canisters/executor/src/state';
import { ExecutorBulkLoadMethod, type BulkDispatchWire } from './contract';
import { withFastJson } from './fast-json';

type R<T> = { Ok: T } | { Err: WorkflowError };

class BulkLoadMethods {
    /** Records each execution's attempts as run_node_attempt does. Call context: update; admins only (and only in this build). */
    @method(ExecutorBulkLoadMethod)
    bulk_load(arg: Infer<typeof BulkDispatchWire>): R<number> {
        if (!deployment.isAdmin(msgCaller())) return { Err: apiError.unauthorized(msgCaller()) };
        const now = time();
        // Decoded once: every execution's attempts are these but for the execution id.
        const requests = arg.requests.map((req) => ({ req, task: decodeNodeTask(req.task), owner: req.owner[0]?.toText() }));
        let created = 0;
        withFastJson(() => {
            for (const executionId of arg.execution_ids) {
                for (const { req, task, owner } of requests) {
                    const key = { executionId, nodeId: req.key.node_id, attempt: req.key.attempt };
                    const r = acceptAttempt(getAttempt(attemptKeyText(key)), { key, dueAt: req.due_at, timeoutMs: Number(req.timeout_ms), task, owner }, now);
                    if (r.created) {
                        putAttempt(r.attempt);
                        created += 1;
                    }
                }
            }
        });
        armWake(now);
        return { Ok: created };
    }
}

export default [...production, BulkLoadMethods];
