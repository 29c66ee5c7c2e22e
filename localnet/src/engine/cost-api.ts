/**
 * What the `ic0.cost_*` imports answer: the cycles an operation would cost the calling
 * canister on its subnet, from its fee schedule (`fees.ts`). Threshold keys are not emulated,
 * so signing and key derivation name no known key.
 */
import { callTotalFee, canisterCreationFee, httpRequestFee, type FeeSchedule } from './fees';

export type CostQuery =
    | { kind: 'call'; methodNameSize: bigint; payloadSize: bigint }
    | { kind: 'create_canister' }
    | { kind: 'http_request'; requestSize: bigint; maxResponseBytes: bigint }
    | { kind: 'sign_with_ecdsa'; keyName: string; curve: number }
    | { kind: 'sign_with_schnorr'; keyName: string; algorithm: number }
    | { kind: 'vetkd_derive_key'; keyName: string; curve: number };

/** A cost, or why there is none: the `cost_sign_*` / `cost_vetkd_*` return codes of the interface specification. */
export type CostAnswer = { cycles: bigint } | { error: 'invalid_curve_or_algorithm' | 'unknown_key' };

/** Curves and algorithms the interface specification names: ECDSA secp256k1; Schnorr bip340secp256k1, ed25519; vetKD bls12_381_g2. */
const ECDSA_CURVES = new Set([0]);
const SCHNORR_ALGORITHMS = new Set([0, 1]);
const VETKD_CURVES = new Set([0]);

export function costOf(fees: FeeSchedule, query: CostQuery): CostAnswer {
    switch (query.kind) {
        case 'call':
            return { cycles: callTotalFee(fees, query.methodNameSize + query.payloadSize) };
        case 'create_canister':
            return { cycles: canisterCreationFee(fees) };
        case 'http_request':
            return { cycles: httpRequestFee(fees, query.requestSize, query.maxResponseBytes) };
        case 'sign_with_ecdsa':
            return ECDSA_CURVES.has(query.curve) ? { error: 'unknown_key' } : { error: 'invalid_curve_or_algorithm' };
        case 'sign_with_schnorr':
            return SCHNORR_ALGORITHMS.has(query.algorithm) ? { error: 'unknown_key' } : { error: 'invalid_curve_or_algorithm' };
        case 'vetkd_derive_key':
            return VETKD_CURVES.has(query.curve) ? { error: 'unknown_key' } : { error: 'invalid_curve_or_algorithm' };
    }
}
