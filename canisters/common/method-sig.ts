import type { IDL } from 'azle';

/** A method table entry whose types are `Wire`s (`shared/workflow`) or plain IDL types (`shared/scheduling`, `shared/monitoring`). */
type AnyIdl = { idl: IDL.Type } | IDL.Type;
export type MethodSig = { readonly args: readonly AnyIdl[]; readonly ret: AnyIdl };

function idlOf(t: AnyIdl): IDL.Type {
    return 'idl' in t ? t.idl : t;
}

/**
 * The `[argTypes, returnType]` of a contract method, for Azle's decorators, so a canister's
 * Candid comes from the same table the clients use.
 *
 * @example
 * @update(...sig(OrchestratorMethods.create_workflow))
 */
export function sig(spec: MethodSig): [IDL.Type[], IDL.Type] {
    return [spec.args.map(idlOf), idlOf(spec.ret)];
}
