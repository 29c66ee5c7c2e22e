/**
 * The IC's certified hash trees (interface specification, "Certification" → "Encoding of
 * certificates"): node types, root hash, CBOR form, building a tree from labeled data, and
 * path lookup.
 */
import { createHash } from 'node:crypto';

import { concat, type CborInput, type CborValue } from './cbor';
import { compareBytes } from './request-id';

/** A hash tree node, as the interface encodes it. */
export type HashTree =
    | { kind: 'empty' }
    | { kind: 'fork'; left: HashTree; right: HashTree }
    | { kind: 'labeled'; label: Uint8Array; tree: HashTree }
    | { kind: 'leaf'; value: Uint8Array }
    | { kind: 'pruned'; digest: Uint8Array };

/**
 * Certified data before it becomes a hash tree: a leaf value, or labeled children (labels
 * are bytes; text labels are their UTF-8).
 */
export type LabeledTree = Uint8Array | Map<string, { label: Uint8Array; tree: LabeledTree }>;

function domainSeparator(name: string): Uint8Array {
    const bytes = new TextEncoder().encode(name);
    return concat([Uint8Array.of(bytes.length), bytes]);
}

const DS_EMPTY = domainSeparator('ic-hashtree-empty');
const DS_FORK = domainSeparator('ic-hashtree-fork');
const DS_LABELED = domainSeparator('ic-hashtree-labeled');
const DS_LEAF = domainSeparator('ic-hashtree-leaf');

function sha256(...parts: Uint8Array[]): Uint8Array {
    const hash = createHash('sha256');
    for (const part of parts) hash.update(part);
    return new Uint8Array(hash.digest());
}

/** The root hash ("reconstruct") of a tree; pruned nodes contribute their digest. */
export function treeDigest(tree: HashTree): Uint8Array {
    switch (tree.kind) {
        case 'empty':
            return sha256(DS_EMPTY);
        case 'fork':
            return sha256(DS_FORK, treeDigest(tree.left), treeDigest(tree.right));
        case 'labeled':
            return sha256(DS_LABELED, tree.label, treeDigest(tree.tree));
        case 'leaf':
            return sha256(DS_LEAF, tree.value);
        case 'pruned':
            return tree.digest;
    }
}

/** The CBOR form: `[0]`, `[1, l, r]`, `[2, label, t]`, `[3, value]`, `[4, digest]`. */
export function treeToCbor(tree: HashTree): CborInput {
    switch (tree.kind) {
        case 'empty':
            return [0];
        case 'fork':
            return [1, treeToCbor(tree.left), treeToCbor(tree.right)];
        case 'labeled':
            return [2, tree.label, treeToCbor(tree.tree)];
        case 'leaf':
            return [3, tree.value];
        case 'pruned':
            return [4, tree.digest];
    }
}

/** The malformed part of a tree read from CBOR. */
export class HashTreeDecodeError extends Error {
    constructor(message: string) {
        super(message);
        this.name = 'HashTreeDecodeError';
    }
}

/** Reads the CBOR form back (tests, and clients of this module). */
export function treeFromCbor(value: CborValue): HashTree {
    if (!Array.isArray(value) || typeof value[0] !== 'bigint') throw new HashTreeDecodeError('a hash tree node is an array starting with its tag');
    const bytesAt = (index: number): Uint8Array => {
        const item = value[index];
        if (!(item instanceof Uint8Array)) throw new HashTreeDecodeError(`element ${index} must be a byte string`);
        return item;
    };
    switch (value[0]) {
        case 0n:
            return { kind: 'empty' };
        case 1n:
            return { kind: 'fork', left: treeFromCbor(value[1]), right: treeFromCbor(value[2]) };
        case 2n:
            return { kind: 'labeled', label: bytesAt(1), tree: treeFromCbor(value[2]) };
        case 3n:
            return { kind: 'leaf', value: bytesAt(1) };
        case 4n:
            return { kind: 'pruned', digest: bytesAt(1) };
        default:
            throw new HashTreeDecodeError(`unknown hash tree tag ${value[0]}`);
    }
}

/** Label bytes as a map key that sorts the way the bytes do. */
export function labelKey(label: Uint8Array | string): string {
    const bytes = typeof label === 'string' ? new TextEncoder().encode(label) : label;
    return Buffer.from(bytes).toString('hex');
}

/**
 * Builds the hash tree of labeled data: children sorted by label, joined by a balanced
 * binary tree of forks (any fork shape is valid; balanced keeps witnesses short).
 */
export function buildTree(data: LabeledTree): HashTree {
    if (data instanceof Uint8Array) return { kind: 'leaf', value: data };
    const children = [...data.values()].sort((a, b) => compareBytes(a.label, b.label));
    const nodes: HashTree[] = children.map((child) => ({ kind: 'labeled', label: child.label, tree: buildTree(child.tree) }));
    return forks(nodes);
}

function forks(nodes: HashTree[]): HashTree {
    if (nodes.length === 0) return { kind: 'empty' };
    if (nodes.length === 1) return nodes[0]!;
    const middle = Math.ceil(nodes.length / 2);
    return { kind: 'fork', left: forks(nodes.slice(0, middle)), right: forks(nodes.slice(middle)) };
}

/** Adds `value` at `path` (creating the labeled nodes on the way) in labeled data. */
export function insertPath(root: Map<string, { label: Uint8Array; tree: LabeledTree }>, path: ReadonlyArray<Uint8Array | string>, value: LabeledTree): void {
    let node = root;
    path.forEach((segment, index) => {
        const label = typeof segment === 'string' ? new TextEncoder().encode(segment) : segment;
        const key = labelKey(label);
        if (index === path.length - 1) {
            node.set(key, { label, tree: value });
            return;
        }
        let child = node.get(key);
        if (child === undefined || child.tree instanceof Uint8Array) {
            child = { label, tree: new Map() };
            node.set(key, child);
        }
        node = child.tree as Map<string, { label: Uint8Array; tree: LabeledTree }>;
    });
}

/** What a path lookup found (interface specification, "Lookup"). */
export type LookupResult = { status: 'found'; value: Uint8Array } | { status: 'absent' } | { status: 'unknown' } | { status: 'error' };

/** Looks a path up in a (possibly pruned) tree. */
export function lookupPath(path: ReadonlyArray<Uint8Array | string>, tree: HashTree): LookupResult {
    const found = lookupSubtree(path, tree);
    if (found.status !== 'found') return found;
    const node = found.tree;
    if (node.kind === 'leaf') return { status: 'found', value: node.value };
    if (node.kind === 'pruned') return { status: 'unknown' };
    return node.kind === 'empty' ? { status: 'absent' } : { status: 'error' };
}

/** What a subtree lookup found: the node at the path, or proof (or no proof) of its absence. */
export type SubtreeLookupResult = { status: 'found'; tree: HashTree } | { status: 'absent' } | { status: 'unknown' };

/** The node at a path (the specification's lookup, stopping at the path's end whatever the node is). */
export function lookupSubtree(path: ReadonlyArray<Uint8Array | string>, tree: HashTree): SubtreeLookupResult {
    if (path.length === 0) return { status: 'found', tree };
    const [first, ...rest] = path;
    const label = typeof first === 'string' ? new TextEncoder().encode(first) : first!;
    const found = findLabel(label, tree);
    if (found === 'unknown') return { status: 'unknown' };
    if (found === 'absent' || found === 'less' || found === 'greater') return { status: 'absent' };
    return lookupSubtree(rest, found);
}

type LabelSearch = HashTree | 'absent' | 'unknown' | 'less' | 'greater';

/** The specification's `find_label`: uses label order to prove absence next to pruned parts. */
function findLabel(label: Uint8Array, tree: HashTree): LabelSearch {
    switch (tree.kind) {
        case 'labeled': {
            const order = compareBytes(label, tree.label);
            return order === 0 ? tree.tree : order < 0 ? 'less' : 'greater';
        }
        case 'fork': {
            const left = findLabel(label, tree.left);
            if (left === 'greater' || left === 'unknown') {
                const right = findLabel(label, tree.right);
                if (right === 'less') return left === 'greater' ? 'absent' : 'unknown';
                return right;
            }
            return left;
        }
        case 'pruned':
            return 'unknown';
        default:
            return 'absent';
    }
}
