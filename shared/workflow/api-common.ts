import { IDL, type GenericIdlFuncArgs } from '@dfinity/candid';
import { VersionInfoIdl, type VersionInfo } from '../common/version';
import { WorkflowErrorWire, type WorkflowError } from './errors';
import { w, type Wire, type WireOf } from './wire';
import { ApiErrorIdl, type ApiError } from '../common/errors';
import { DeadLetterCodec, type DeadLetter } from '../common/dead-letter';
import { EmergencyStateIdl, type EmergencyState } from '../monitoring/emergency';

/** `variant { Ok: T; Err: WorkflowError }` with its TypeScript type. */
export function resultWire<T>(ok: Wire<T>): Wire<{ Ok: T } | { Err: WorkflowError }> {
    return w.variant({ Ok: ok, Err: WorkflowErrorWire });
}

/** Cursor pagination: pass back `next_cursor` to get the next page; `limit` is capped. */
export const PageRequestWire = w.record({ cursor: w.opt(w.text), limit: w.nat32 });
export type PageRequest = WireOf<typeof PageRequestWire>;

export function pageWire<T>(item: Wire<T>): Wire<{ items: T[]; next_cursor: [] | [string] }> {
    return w.record({ items: w.vec(item), next_cursor: w.opt(w.text) });
}

export const VersionInfoWire: Wire<VersionInfo> = w.from<VersionInfo>(VersionInfoIdl);

/** One method of a service: Candid argument and result types, and its call mode. */
export type MethodSpec = { readonly args: readonly Wire<unknown>[]; readonly ret: Wire<unknown>; readonly mode: 'query' | 'update' };

/**
 * An `idlFactory` (as `@dfinity/agent` and `@dfinity/pic` expect) from a method table, so
 * the Azle decorators and the clients read the same definitions.
 */
export function serviceFactory(methods: Record<string, MethodSpec>): (_: { IDL: typeof IDL }) => IDL.ServiceClass {
    return ({ IDL: idl }) => {
        const fields: Record<string, IDL.FuncClass> = {};
        for (const [name, m] of Object.entries(methods)) {
            const [first, ...rest] = m.args.map((a) => a.idl);
            const args: GenericIdlFuncArgs = first === undefined ? [] : [first, ...rest];
            fields[name] = idl.Func(args, [m.ret.idl], m.mode === 'query' ? ['query'] : []);
        }
        return idl.Service(fields);
    };
}

/** `set_emergency_mode` argument (monitor only, on orchestrator and executor): the monitor's {@link EmergencyState}. */
export const EmergencyStateWire: Wire<EmergencyState> = w.from<EmergencyState>(EmergencyStateIdl);

/** `variant { Ok: null; Err: ApiError }`: peer endpoints answer the plain error the monitor/scheduler decode. */
export const NullApiResultWire = w.variant({ Ok: w.null, Err: w.from<ApiError>(ApiErrorIdl) });

/** An outbox entry kept with the reason it was not delivered (admins read them with `list_dead_letters`). */
export const DeadLetterWire: Wire<DeadLetter> = w.from<DeadLetter>(DeadLetterCodec.idl);

/** `list_dead_letters` (orchestrator and executor): a page, or the plain ApiError (Unauthorized, InvalidInput). */
export const DeadLetterPageResultWire = w.variant({ Ok: pageWire(DeadLetterWire), Err: w.from<ApiError>(ApiErrorIdl) });
