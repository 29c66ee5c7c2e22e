/**
 * Certificates over an instance's state (interface specification, "Certification"): the
 * state tree parts a request asks for, signed with the subnet's BLS12-381 key in the IC's
 * min-sig scheme, with a delegation from the root subnet when the signing subnet is not root.
 *
 * Each certificate certifies a tree built from just the requested parts plus `/time`. Its
 * root hash is therefore not a hash of the whole state, which no client can observe: every
 * client check (signature over the root hash, lookups, time, canister ranges) passes the
 * same way.
 */
import { createHash } from 'node:crypto';

import { bls12_381 } from '@noble/curves/bls12-381';
import { ed25519 } from '@noble/curves/ed25519';

import type { SubnetTopology } from '../api';
import { ErrorCode } from '../engine/errors';
import { rootSubnetOf } from '../engine/topology';
import { concat, encodeCbor } from './cbor';
import { buildTree, insertPath, treeDigest, treeToCbor, type LabeledTree } from './hash-tree';
import type { HttpInterfaceHost, IngressView } from './host';
import { leb128 } from './request-id';

/** Labeled data at the root of a state tree. */
export type StateTree = Map<string, { label: Uint8Array; tree: LabeledTree }>;

const STATE_ROOT_DOMAIN = concat([Uint8Array.of(13), new TextEncoder().encode('ic-state-root')]);
const ED25519_DER_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/**
 * The root subnet: its key is the root key `/api/v2/status` serves. NNS when the instance
 * has one (as on the IC and in PocketIC), otherwise the first subnet.
 */
export function rootSubnet(host: HttpInterfaceHost): SubnetTopology {
    return rootSubnetOf(host.topology.subnets);
}

/** The Ed25519 key of a subnet's (single) node, which signs query responses. */
export function nodeKey(subnet: SubnetTopology): { nodeId: Uint8Array; secretKey: Uint8Array; publicKeyDer: Uint8Array } {
    // Derived from the subnet seed so it is stable across restarts, like the subnet's BLS key.
    const secretKey = new Uint8Array(createHash('sha256').update(subnet.seed).update('node-signing-key').digest());
    const publicKeyDer = concat([ED25519_DER_PREFIX, ed25519.getPublicKey(secretKey)]);
    return { nodeId: subnet.nodeIds[0]!, secretKey, publicKeyDer };
}

/** Adds `/subnet/<sid>/{public_key, canister_ranges, node/<nid>/public_key}`. */
export function addSubnet(tree: StateTree, host: HttpInterfaceHost, subnet: SubnetTopology): void {
    const base = ['subnet', subnet.subnetId];
    insertPath(tree, [...base, 'public_key'], host.subnetPublicKey(subnet.subnetId));
    insertPath(tree, [...base, 'canister_ranges'], encodeCbor(subnet.ranges.map((r) => [r.start, r.end])));
    const node = nodeKey(subnet);
    insertPath(tree, [...base, 'node', node.nodeId, 'public_key'], node.publicKeyDer);
}

/**
 * Adds `/canister_ranges/<subnet_id>/<shard>`: the subnet's ranges as one shard, labelled with
 * the first range's start (a CBOR list of `[start, end]`, as `/subnet/<id>/canister_ranges`).
 */
export function addCanisterRangeShards(tree: StateTree, subnet: SubnetTopology): void {
    const first = subnet.ranges[0];
    if (first === undefined) return;
    insertPath(tree, ['canister_ranges', subnet.subnetId, first.start], encodeCbor(subnet.ranges.map((r) => [r.start, r.end])));
}

/** Adds `/canister/<cid>/{certified_data, module_hash, controllers}` (those that exist). */
export function addCanister(tree: StateTree, host: HttpInterfaceHost, canisterId: Uint8Array, parts: ReadonlyArray<'certified_data' | 'module_hash' | 'controllers'>): void {
    const state = host.canisterState(canisterId);
    if (state === null) return;
    const base = ['canister', canisterId];
    for (const part of parts) {
        if (part === 'certified_data') insertPath(tree, [...base, part], state.certifiedData);
        if (part === 'module_hash' && state.moduleHash !== null) insertPath(tree, [...base, part], state.moduleHash);
        if (part === 'controllers') insertPath(tree, [...base, part], encodeCbor(state.controllers));
    }
}

/** Adds `/canister/<id>/metadata/<name>` when the canister's module has that custom section. */
export function addCanisterMetadata(tree: StateTree, host: HttpInterfaceHost, canisterId: Uint8Array, name: string): void {
    const section = host.canisterState(canisterId)?.metadata.get(name);
    if (section !== undefined) insertPath(tree, ['canister', canisterId, 'metadata', name], section.content);
}

/** Adds `/request_status/<rid>/…` for a known message. */
export function addRequestStatus(tree: StateTree, requestId: Uint8Array, record: IngressView): void {
    const base = ['request_status', requestId];
    if (record.status !== 'done' || record.result === null) {
        insertPath(tree, [...base, 'status'], new TextEncoder().encode(record.status));
        return;
    }
    const result = record.result;
    if (result.kind === 'reply') {
        insertPath(tree, [...base, 'status'], new TextEncoder().encode('replied'));
        insertPath(tree, [...base, 'reply'], result.payload);
        return;
    }
    insertPath(tree, [...base, 'status'], new TextEncoder().encode('rejected'));
    insertPath(tree, [...base, 'reject_code'], leb128(BigInt(result.reject.rejectCode)));
    insertPath(tree, [...base, 'reject_message'], new TextEncoder().encode(result.reject.rejectMessage));
    insertPath(tree, [...base, 'error_code'], new TextEncoder().encode(icErrorCode(result.reject.errorCode)));
}

/** `IC0503` for PocketIC's `CanisterCalledTrap`; names without a known number pass through. */
export function icErrorCode(name: string): string {
    return (ErrorCode as Record<string, string>)[name] ?? name;
}

/**
 * Signs a state tree (after adding `/time`) as `subnetId`, returning the CBOR certificate
 * `{tree, signature, delegation?}`.
 */
export function certify(host: HttpInterfaceHost, subnetId: Uint8Array, tree: StateTree, time: bigint = host.certifiedTime()): Uint8Array {
    insertPath(tree, ['time'], leb128(time));
    const hashTree = buildTree(tree);
    const signature = bls12_381.signShortSignature(concat([STATE_ROOT_DOMAIN, treeDigest(hashTree)]), host.subnetSecretKey(subnetId));
    const root = rootSubnet(host);
    if (Buffer.from(root.subnetId).equals(subnetId)) {
        return encodeCbor({ tree: treeToCbor(hashTree), signature });
    }
    // The root subnet vouches for the signing subnet's key and canister ranges.
    const subnet = host.topology.subnets.find((s) => Buffer.from(s.subnetId).equals(subnetId));
    if (subnet === undefined) throw new Error(`no subnet ${Buffer.from(subnetId).toString('hex')} in the topology`);
    const delegationTree: StateTree = new Map();
    const base = ['subnet', subnet.subnetId];
    insertPath(delegationTree, [...base, 'public_key'], host.subnetPublicKey(subnet.subnetId));
    insertPath(delegationTree, [...base, 'canister_ranges'], encodeCbor(subnet.ranges.map((r) => [r.start, r.end])));
    // The sharded form newer agents read (v4 call): one shard, labeled by its first canister id.
    insertPath(delegationTree, ['canister_ranges', subnet.subnetId, subnet.ranges[0]!.start], encodeCbor(subnet.ranges.map((r) => [r.start, r.end])));
    const delegation = { subnet_id: subnet.subnetId, certificate: certify(host, root.subnetId, delegationTree, time) };
    return encodeCbor({ tree: treeToCbor(hashTree), signature, delegation });
}

/**
 * The data certificate a non-replicated query of `canisterId` sees: `/canister/<id>/certified_data`
 * and `/time`, signed by the canister's subnet.
 */
export function dataCertificate(host: HttpInterfaceHost, canisterId: Uint8Array): Uint8Array | null {
    const subnetId = host.subnetOfRange(canisterId);
    if (subnetId === null || host.canisterState(canisterId) === null) return null;
    const tree: StateTree = new Map();
    addCanister(tree, host, canisterId, ['certified_data']);
    return certify(host, subnetId, tree);
}

/** The signature a node puts on a query response: Ed25519 over `"\x0Bic-response" ‖ hash`. */
export function signQueryResponse(subnet: SubnetTopology, responseHash: Uint8Array): { nodeId: Uint8Array; signature: Uint8Array } {
    const node = nodeKey(subnet);
    const message = concat([Uint8Array.of(11), new TextEncoder().encode('ic-response'), responseHash]);
    return { nodeId: node.nodeId, signature: ed25519.sign(message, node.secretKey) };
}
