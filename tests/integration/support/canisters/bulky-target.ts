/**
 * `bulky_target`: a test target (heap state) whose `read` answers a blob as large as the IC
 * lets a reply be, after stalling for some management calls, like a storage canister serving
 * a 2 MiB chunk. The agent can take that reply but cannot pass it on (its own reply wraps the
 * blob and exceeds 2 MiB), so it traps after its target ran: the reject that must be the
 * attempt's outcome, never a reason to send the call again.
 */
import { IDL } from '@dfinity/candid';
import type { ActorMethod } from '@dfinity/pic';

export const BulkyTargetMethods = {
    prepare: { args: [IDL.Nat32, IDL.Nat32], ret: [] as IDL.Type[] },
    read: { args: [] as IDL.Type[], ret: [IDL.Vec(IDL.Nat8)] },
    calls: { args: [] as IDL.Type[], ret: [IDL.Nat64] }
};

export const bulkyTargetIdlFactory = ({ IDL: idl }: { IDL: typeof IDL }): IDL.ServiceClass =>
    idl.Service({
        prepare: idl.Func([idl.Nat32, idl.Nat32], [], []),
        read: idl.Func([], [idl.Vec(idl.Nat8)], []),
        calls: idl.Func([], [idl.Nat64], ['query'])
    });

export type BulkyTargetService = {
    /** Every later `read` stalls for `stallRounds` management calls, then answers `size` bytes. */
    prepare: ActorMethod<[number, number], undefined>;
    read: ActorMethod<[], Uint8Array>;
    calls: ActorMethod<[], bigint>;
};
