/**
 * Candid interface of the `demo_dapp` canister (a dapp that starts DeFlow executions and
 * takes their results by completion callback), one definition for the canister and its test
 * clients. Takes the IDL namespace so both Azle's and pic-js's Candid fit.
 */
import type { IDL as CandidIdl } from '@dfinity/candid';
import type { Principal } from '@dfinity/principal';

import { ExecutionCompletionWire, type ExecutionCompletion } from '../../../../shared/workflow/completion';

export type RefusalMode = { Reject: null } | { Trap: null };
export type ForwardResult = { Ok: Uint8Array } | { Err: string };

/** The dapp's service (test clients). */
export interface DemoDappService {
    forward: (canister: Principal, method: string, args: Uint8Array) => Promise<ForwardResult>;
    set_orchestrator: (orchestrator: Principal) => Promise<void>;
    refuse_callbacks: (count: number, mode: RefusalMode) => Promise<void>;
    on_execution_complete: (completion: ExecutionCompletion) => Promise<void>;
    completions: () => Promise<ExecutionCompletion[]>;
    rejected_callbacks: () => Promise<number>;
}

export function demoDappMethods(IDL: typeof CandidIdl) {
    const Completion = ExecutionCompletionWire.idl;
    const Mode = IDL.Variant({ Reject: IDL.Null, Trap: IDL.Null });
    return {
        Completion,
        forward: { args: [IDL.Principal, IDL.Text, IDL.Vec(IDL.Nat8)] as CandidIdl.Type[], ret: IDL.Variant({ Ok: IDL.Vec(IDL.Nat8), Err: IDL.Text }) },
        set_orchestrator: { args: [IDL.Principal] as CandidIdl.Type[], ret: IDL.Null },
        refuse_callbacks: { args: [IDL.Nat32, Mode] as CandidIdl.Type[], ret: IDL.Null },
        on_execution_complete: { args: [Completion] as CandidIdl.Type[], ret: IDL.Null },
        completions: { args: [] as CandidIdl.Type[], ret: IDL.Vec(Completion) },
        rejected_callbacks: { args: [] as CandidIdl.Type[], ret: IDL.Nat32 }
    };
}

export const demoDappIdlFactory = ({ IDL }: { IDL: typeof CandidIdl }): CandidIdl.ServiceClass => {
    const m = demoDappMethods(IDL);
    return IDL.Service({
        forward: IDL.Func([IDL.Principal, IDL.Text, IDL.Vec(IDL.Nat8)], [m.forward.ret], []),
        set_orchestrator: IDL.Func([IDL.Principal], [], []),
        refuse_callbacks: IDL.Func([IDL.Nat32, IDL.Variant({ Reject: IDL.Null, Trap: IDL.Null })], [], []),
        on_execution_complete: IDL.Func([m.Completion], [], []),
        completions: IDL.Func([], [m.completions.ret], ['query']),
        rejected_callbacks: IDL.Func([], [m.rejected_callbacks.ret], ['query'])
    });
};
