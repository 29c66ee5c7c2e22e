/**
 * Subnets, their keys and canister id ranges, laid out as PocketIC (up to v14) lays them out,
 * so canister ids match what tests written for PocketIC expect.
 */
import { createHash } from 'node:crypto';

import { bls12_381 } from '@noble/curves/bls12-381';
import { Principal } from '@dfinity/principal';

import type { SubnetKind, SubnetTopology } from '../api';
import { feeScheduleFor, type CostSchedule, type FeeSchedule } from './fees';

/** DER prefix of a BLS12-381 G2 public key as the IC encodes it. */
const BLS_DER_PREFIX = Buffer.from('308182301d060d2b0601040182dc7c0503010201060c2b0601040182dc7c05030201036100', 'hex');
const RANGE_SIZE = 1n << 20n;

export function canisterIdFromIndex(index: bigint): Uint8Array {
    const bytes = new Uint8Array(10);
    new DataView(bytes.buffer).setBigUint64(0, index);
    bytes[8] = 0x01;
    bytes[9] = 0x01;
    return bytes;
}

/** The u64 index of an opaque canister id, or null for any other principal. */
export function canisterIndex(id: Uint8Array): bigint | null {
    if (id.length !== 10 || id[8] !== 0x01 || id[9] !== 0x01) return null;
    return new DataView(id.buffer, id.byteOffset, 8).getBigUint64(0);
}

/** Fixed ranges of the named system subnets (first canister index). */
const NAMED_RANGES: Partial<Record<SubnetKind, bigint>> = {
    NNS: 0n,
    II: 0x70_0000n,
    SNS: 0x200_0000n,
    Fiduciary: 0x210_0000n,
    Bitcoin: 0x1A0_0000n
};

export type Subnet = SubnetTopology & {
    /** What the subnet charges (by kind and the instance config's `cost_schedule`). */
    fees: FeeSchedule;
    secretKey: Uint8Array;
    publicKeyDer: Uint8Array;
    first: bigint;
    last: bigint;
    next: bigint;
};

/** Subnet keys by seed: deriving a BLS public key costs tens of milliseconds. */
const keyCache = new Map<string, { secretKey: Uint8Array; publicKeyDer: Uint8Array }>();

function subnetKey(subnetSeed: Uint8Array): { secretKey: Uint8Array; publicKeyDer: Uint8Array } {
    const cacheKey = Buffer.from(subnetSeed).toString('hex');
    const cached = keyCache.get(cacheKey);
    if (cached !== undefined) return cached;
    const secretKey = new Uint8Array(createHash('sha256').update(subnetSeed).update('bls').digest());
    // Clear the top bits so the key is always inside the scalar field.
    secretKey[0]! &= 0x3f;
    const publicKey = bls12_381.getPublicKeyForShortSignatures(secretKey);
    const key = { secretKey, publicKeyDer: new Uint8Array(Buffer.concat([BLS_DER_PREFIX, Buffer.from(publicKey)])) };
    keyCache.set(cacheKey, key);
    return key;
}

/**
 * Builds the subnets of an instance. As in PocketIC, a subnet's seed (and so its key and id)
 * depends on its kind and position, so the same configuration gives the same subnet ids.
 */
export function buildSubnets(specs: Array<{ kind: SubnetKind; instructionConfig: 'Production' | 'Benchmarking'; costSchedule?: CostSchedule }>): Subnet[] {
    let fromTop = 0n;
    return specs.map((spec, index) => {
        const subnetSeed = createHash('sha256').update(`deflow-localnet/${spec.kind}/${index}`).digest();
        const { secretKey, publicKeyDer } = subnetKey(subnetSeed);
        const named = NAMED_RANGES[spec.kind];
        let first: bigint;
        if (named !== undefined) first = named;
        else {
            fromTop += 1n;
            first = (1n << 64n) - 2n * RANGE_SIZE * fromTop;
        }
        const last = first + RANGE_SIZE - 1n;
        return {
            subnetId: Principal.selfAuthenticating(publicKeyDer).toUint8Array(),
            kind: spec.kind,
            seed: new Uint8Array(subnetSeed),
            instructionConfig: spec.instructionConfig,
            fees: feeScheduleFor(spec.kind, spec.costSchedule ?? 'Normal'),
            ranges: [{ start: canisterIdFromIndex(first), end: canisterIdFromIndex(last) }],
            nodeIds: [Principal.selfAuthenticating(new Uint8Array(createHash('sha256').update(subnetSeed).update('node').digest())).toUint8Array()],
            secretKey,
            publicKeyDer,
            first,
            last,
            next: first
        };
    });
}

export function subnetOfCanister(subnets: Subnet[], id: Uint8Array): number {
    const index = canisterIndex(id);
    if (index === null) return -1;
    return subnets.findIndex((s) => index >= s.first && index <= s.last);
}

/**
 * The root subnet, whose key is the root key (`/api/v2/status`, `ic0.root_key_copy`): NNS when
 * the instance has one (as on the IC and in PocketIC), otherwise the first subnet.
 */
export function rootSubnetOf<T extends { kind: SubnetKind }>(subnets: T[]): T {
    return subnets.find((s) => s.kind === 'NNS') ?? subnets[0]!;
}
