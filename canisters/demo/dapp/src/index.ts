/**
 * `demo_dapp`: a dapp canister that owns DeFlow workflows, starts their executions with a
 * completion callback (`start_execution_with_callback`, through `forward`) and records the
 * results the orchestrator pushes to `on_execution_complete`. For tests it can refuse the next
 * callbacks by rejecting (the refusal is counted: a reject keeps state) or by trapping (state
 * rolls back, so it traps until told otherwise). Only its controllers configure it; only the
 * configured orchestrator may call it back. Test-only state lives on the heap.
 */
import { call, IDL, isController, msgArgData, msgCaller, msgReject, msgReply, Principal, query, update } from 'azle';

import type { ExecutionCompletion } from '../../../../shared/workflow/completion';
import { demoDappMethods, type ForwardResult, type RefusalMode } from './interface';

const M = demoDappMethods(IDL);

let orchestrator: Principal | undefined;
let refusals = 0;
let refusalMode: RefusalMode = { Reject: null };
let rejected = 0;
const received: ExecutionCompletion[] = [];

function requireController(): void {
    if (!isController(msgCaller())) throw new Error('demo_dapp: controllers only');
}

export default class {
    /** Calls `method` of `canister` with raw Candid `args` as this dapp (how it creates and starts its workflows). Controllers only. */
    @update(M.forward.args, M.forward.ret)
    async forward(canister: Principal, method: string, args: Uint8Array): Promise<ForwardResult> {
        requireController();
        try {
            const reply: Uint8Array = await call(canister, method, { raw: true, args });
            return { Ok: reply };
        } catch (error) {
            return { Err: error instanceof Error ? error.message : JSON.stringify(error) };
        }
    }

    /** The orchestrator whose callbacks are accepted. Controllers only. */
    @update(M.set_orchestrator.args)
    set_orchestrator(p: Principal): void {
        requireController();
        orchestrator = p;
    }

    /** Refuses the next `count` callbacks (`Trap` refuses every callback until set again). Controllers only. */
    @update(M.refuse_callbacks.args)
    refuse_callbacks(count: number, mode: RefusalMode): void {
        requireController();
        refusals = count;
        refusalMode = mode;
    }

    /** The completion callback: from the configured orchestrator only (manual reply: it may reject; a manual method decodes its own argument). */
    @update(M.on_execution_complete.args, M.on_execution_complete.ret, { manual: true })
    on_execution_complete(): void {
        const [completion] = IDL.decode([M.Completion], msgArgData()) as unknown as [ExecutionCompletion];
        if (orchestrator === undefined || msgCaller().toText() !== orchestrator.toText()) {
            msgReject('demo_dapp: callbacks come from the orchestrator only');
            return;
        }
        if (refusals > 0) {
            refusals -= 1;
            if ('Trap' in refusalMode) throw new Error('demo_dapp: trapping on purpose');
            rejected += 1;
            msgReject(`demo_dapp: rejecting on purpose (${refusals} more)`);
            return;
        }
        received.push(completion);
        msgReply(new Uint8Array(IDL.encode([], [])));
    }

    @query([], M.completions.ret)
    completions(): ExecutionCompletion[] {
        return received;
    }

    @query([], M.rejected_callbacks.ret)
    rejected_callbacks(): number {
        return rejected;
    }
}
