import type { Trigger } from '../../../../shared/workflow';

/** What {@link triggerForCaller} needs of a principal (Azle's and agent-js's both fit). */
export type PrincipalLike = { toUint8Array(): Uint8Array; toText(): string };

/**
 * The class byte that ends an opaque id: the class the IC gives canister ids (interface
 * specification, "Principals"). Users sign with self-authenticating ids (0x02); the anonymous
 * principal is 0x04 and derived ids 0x03.
 */
const OPAQUE_ID_CLASS = 0x01;

/** Whether a principal is a canister: decided by its class byte, never by a list of known ids. */
export function isCanisterPrincipal(p: PrincipalLike): boolean {
    const bytes = p.toUint8Array();
    return bytes.length > 0 && bytes[bytes.length - 1] === OPAQUE_ID_CLASS;
}

/**
 * The trigger `start_execution` records for its caller: a canister calling DeFlow is a dapp
 * (`Dapp { canister }`), anyone else (a user's key, or the management canister's empty id,
 * which never calls) starts it by hand (`Manual`).
 *
 * @example
 * triggerForCaller(Principal.fromText('rrkah-fqaaa-aaaaa-aaaaq-cai')); // { kind: 'Dapp', canister: 'rrkah-fqaaa-aaaaa-aaaaq-cai' }
 * triggerForCaller(userPrincipal); // { kind: 'Manual' }
 */
export function triggerForCaller(caller: PrincipalLike): Trigger {
    return isCanisterPrincipal(caller) ? { kind: 'Dapp', canister: caller.toText() } : { kind: 'Manual' };
}
