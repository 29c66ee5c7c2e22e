/**
 * `gatekeeper`: a test target (heap state: an upgrade resets it, which no test relies on) that, like a ledger or a lending market, serves exactly one
 * caller principal (set with `allow`). Used to show that each owner's calls come from that
 * owner's agent: only the allowed agent's workflow gets through.
 */
import { IDL } from '@dfinity/candid';
import type { Principal } from '@dfinity/principal';
import type { ActorMethod } from '@dfinity/pic';

export const GatekeeperMethods = {
    allow: { args: [IDL.Principal], ret: [] as IDL.Type[] },
    guarded: { args: [] as IDL.Type[], ret: [IDL.Text] },
    served: { args: [] as IDL.Type[], ret: [IDL.Vec(IDL.Principal)] }
};

export const gatekeeperIdlFactory = ({ IDL: idl }: { IDL: typeof IDL }): IDL.ServiceClass =>
    idl.Service({
        allow: idl.Func([idl.Principal], [], []),
        guarded: idl.Func([], [idl.Text], []),
        served: idl.Func([], [idl.Vec(idl.Principal)], ['query'])
    });

export type GatekeeperService = {
    allow: ActorMethod<[Principal], undefined>;
    guarded: ActorMethod<[], string>;
    served: ActorMethod<[], Principal[]>;
};
