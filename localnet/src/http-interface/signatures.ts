/**
 * Authentication of a request envelope (interface specification, "Authentication"): the
 * sender is derived from the public key, delegations chain from that key to the key that
 * signed the request, and every signature is checked. Supported keys: Ed25519,
 * ECDSA secp256k1 and ECDSA P-256 (what @dfinity/identity and identity-secp256k1 produce).
 * Canister signatures (Internet Identity's root key) are not supported.
 */
import { createHash } from 'node:crypto';

import { ed25519 } from '@noble/curves/ed25519';
import { p256 } from '@noble/curves/p256';
import { secp256k1 } from '@noble/curves/secp256k1';
import { Principal } from '@dfinity/principal';

import { concat, isCborMap, type CborValue } from './cbor';
import { hashOfMap } from './request-id';

/** The anonymous principal (`2vxsx-fae`), the only sender that needs no signature. */
export const ANONYMOUS = Uint8Array.of(0x04);

const ED25519_DER_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const SECP256K1_DER_PREFIX = Buffer.from('3056301006072a8648ce3d020106052b8104000a034200', 'hex');
const P256_DER_PREFIX = Buffer.from('3059301306072a8648ce3d020106082a8648ce3d030107034200', 'hex');

/** Domain separators (length byte ‖ name) of request and delegation signatures. */
export const REQUEST_DOMAIN = concat([Uint8Array.of(10), new TextEncoder().encode('ic-request')]);
export const DELEGATION_DOMAIN = concat([Uint8Array.of(26), new TextEncoder().encode('ic-request-auth-delegation')]);

/** Most delegations in a chain, as the replica allows. */
const MAX_DELEGATIONS = 20;
/** Most canister targets a delegation may list, as the replica allows. */
const MAX_TARGETS = 1_000;

/** Why a request is not authentic; answered 400 (403 for a sender that does not match its key). */
export type AuthError = { status: 400 | 403; message: string };

/** The parts of an envelope authentication looks at. */
export type SignedEnvelope = {
    sender: Uint8Array;
    requestId: Uint8Array;
    senderPubkey: Uint8Array | undefined;
    senderSig: Uint8Array | undefined;
    senderDelegation: CborValue | undefined;
    /** The canister the request addresses (null for read_state at a subnet), checked against delegation targets. */
    target: Uint8Array | null;
    /** The instance's current time in nanoseconds, for delegation expiry. */
    now: bigint;
};

/** Verifies a signature made by a DER-encoded public key; false for unknown key types or bad signatures. */
export function verifySignature(derPublicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean | 'unsupported' {
    const der = Buffer.from(derPublicKey);
    try {
        if (der.length === ED25519_DER_PREFIX.length + 32 && der.subarray(0, ED25519_DER_PREFIX.length).equals(ED25519_DER_PREFIX)) {
            return ed25519.verify(signature, message, der.subarray(ED25519_DER_PREFIX.length));
        }
        // ECDSA signs sha256(message); signatures are r ‖ s (64 bytes). High-s is accepted, as the replica does.
        const digest = createHash('sha256').update(message).digest();
        if (der.length === SECP256K1_DER_PREFIX.length + 65 && der.subarray(0, SECP256K1_DER_PREFIX.length).equals(SECP256K1_DER_PREFIX)) {
            return secp256k1.verify(signature, digest, der.subarray(SECP256K1_DER_PREFIX.length), { lowS: false, prehash: false });
        }
        if (der.length === P256_DER_PREFIX.length + 65 && der.subarray(0, P256_DER_PREFIX.length).equals(P256_DER_PREFIX)) {
            return p256.verify(signature, digest, der.subarray(P256_DER_PREFIX.length), { lowS: false, prehash: false });
        }
    } catch {
        // Malformed key or signature bytes: not a valid signature.
        return false;
    }
    return 'unsupported';
}

type Delegation = { pubkey: Uint8Array; expiration: bigint; targets: Uint8Array[] | null; map: { [key: string]: CborValue }; signature: Uint8Array };

function parseDelegations(value: CborValue): Delegation[] | string {
    if (!Array.isArray(value)) return 'sender_delegation must be an array';
    if (value.length > MAX_DELEGATIONS) return `at most ${MAX_DELEGATIONS} delegations are allowed, got ${value.length}`;
    const out: Delegation[] = [];
    for (const signed of value) {
        if (!isCborMap(signed) || !isCborMap(signed['delegation'] ?? null) || !(signed['signature'] instanceof Uint8Array)) {
            return 'each sender_delegation entry needs a delegation map and a signature';
        }
        const delegation = signed['delegation'] as { [key: string]: CborValue };
        const { pubkey, expiration, targets } = delegation;
        if (!(pubkey instanceof Uint8Array) || typeof expiration !== 'bigint') return 'a delegation needs pubkey (blob) and expiration (nat)';
        let targetList: Uint8Array[] | null = null;
        if (targets !== undefined) {
            if (!Array.isArray(targets) || !targets.every((t): t is Uint8Array => t instanceof Uint8Array)) return 'delegation targets must be an array of blobs';
            if (targets.length > MAX_TARGETS) return `a delegation may list at most ${MAX_TARGETS} targets`;
            targetList = targets;
        }
        out.push({ pubkey, expiration, targets: targetList, map: delegation, signature: signed['signature'] });
    }
    return out;
}

/** Checks sender, key, delegation chain and signature. `null` means authentic. */
export function authenticate(envelope: SignedEnvelope): AuthError | null {
    const { sender, senderPubkey, senderSig, senderDelegation } = envelope;
    if (Buffer.from(sender).equals(ANONYMOUS)) {
        if (senderPubkey !== undefined || senderSig !== undefined || senderDelegation !== undefined) {
            return { status: 400, message: 'an anonymous request must not carry sender_pubkey, sender_sig or sender_delegation' };
        }
        return null;
    }
    if (senderPubkey === undefined || senderSig === undefined) {
        return { status: 400, message: `request from ${Principal.fromUint8Array(sender).toText()} is missing sender_pubkey or sender_sig` };
    }
    const derived = Principal.selfAuthenticating(senderPubkey).toUint8Array();
    if (!Buffer.from(derived).equals(sender)) {
        return { status: 403, message: `sender ${Principal.fromUint8Array(sender).toText()} does not match sender_pubkey (which belongs to ${Principal.fromUint8Array(derived).toText()})` };
    }
    let signingKey = senderPubkey;
    if (senderDelegation !== undefined) {
        const chain = parseDelegations(senderDelegation);
        if (typeof chain === 'string') return { status: 400, message: `invalid delegation: ${chain}` };
        for (const [index, delegation] of chain.entries()) {
            const message = concat([DELEGATION_DOMAIN, hashOfMap(delegation.map)]);
            const valid = verifySignature(signingKey, message, delegation.signature);
            if (valid === 'unsupported') return { status: 400, message: `invalid delegation: unsupported public key type in link ${index}` };
            if (!valid) return { status: 400, message: `invalid delegation: signature of delegation ${index} does not verify` };
            if (delegation.expiration < envelope.now) {
                return { status: 400, message: `invalid delegation: delegation ${index} expired at ${delegation.expiration} (now ${envelope.now})` };
            }
            if (delegation.targets !== null && envelope.target !== null) {
                const target = Buffer.from(envelope.target);
                if (!delegation.targets.some((t) => target.equals(t))) {
                    return { status: 403, message: `invalid delegation: canister ${Principal.fromUint8Array(envelope.target).toText()} is not among the targets of delegation ${index}` };
                }
            }
            signingKey = delegation.pubkey;
        }
    }
    const valid = verifySignature(signingKey, concat([REQUEST_DOMAIN, envelope.requestId]), senderSig);
    if (valid === 'unsupported') return { status: 400, message: 'unsupported public key type (Ed25519, ECDSA secp256k1 and ECDSA P-256 are supported)' };
    if (!valid) return { status: 400, message: 'invalid signature: sender_sig does not verify against the request id' };
    return null;
}
