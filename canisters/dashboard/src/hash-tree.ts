/**
 * The IC's certified hash trees, canister side (interface specification, "Certification" →
 * "Encoding of certificates"): the tree over labeled data whose root hash becomes the
 * canister's certified data, and witnesses of it (the same tree with the parts a lookup does
 * not need replaced by their digests). Pure logic of the `dashboard` canister.
 */
import { sha256 } from '@noble/hashes/sha2';

/** A hash tree node, as the interface encodes it. */
export type HashTree =
    | { kind: 'empty' }
    | { kind: 'fork'; left: HashTree; right: HashTree }
    | { kind: 'labeled'; label: Uint8Array; tree: HashTree }
    | { kind: 'leaf'; value: Uint8Array }
    | { kind: 'pruned'; digest: Uint8Array };

/** Labeled data: a leaf value, or children sorted by label (bytes order). */
export type LabeledData = Uint8Array | LabeledChild[];
export type LabeledChild = { label: Uint8Array; data: LabeledData };

const encoder = new TextEncoder();

function domainSeparator(name: string): Uint8Array {
    const bytes = encoder.encode(name);
    return concatBytes([Uint8Array.of(bytes.length), bytes]);
}

const DS_EMPTY = domainSeparator('ic-hashtree-empty');
const DS_FORK = domainSeparator('ic-hashtree-fork');
const DS_LABELED = domainSeparator('ic-hashtree-labeled');
const DS_LEAF = domainSeparator('ic-hashtree-leaf');

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let offset = 0;
    for (const part of parts) {
        out.set(part, offset);
        offset += part.length;
    }
    return out;
}

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
    return a.length - b.length;
}

/** The root hash ("reconstruct") of a tree. */
export function treeDigest(tree: HashTree): Uint8Array {
    switch (tree.kind) {
        case 'empty':
            return sha256(DS_EMPTY);
        case 'fork':
            return sha256(concatBytes([DS_FORK, treeDigest(tree.left), treeDigest(tree.right)]));
        case 'labeled':
            return sha256(concatBytes([DS_LABELED, tree.label, treeDigest(tree.tree)]));
        case 'leaf':
            return sha256(concatBytes([DS_LEAF, tree.value]));
        case 'pruned':
            return tree.digest;
    }
}

/** Inserts `value` at `path` (labels created on the way, children kept sorted). */
export function insertLabeled(root: LabeledChild[], path: readonly Uint8Array[], value: LabeledData): void {
    let children = root;
    path.forEach((label, index) => {
        let at = children.findIndex((c) => compareBytes(c.label, label) >= 0);
        if (at === -1) at = children.length;
        const last = index === path.length - 1;
        const existing = children[at];
        if (existing !== undefined && compareBytes(existing.label, label) === 0) {
            if (last) existing.data = value;
            else if (existing.data instanceof Uint8Array) existing.data = [];
        } else {
            children.splice(at, 0, { label, data: last ? value : [] });
        }
        if (!last) children = children[at]!.data as LabeledChild[];
    });
}

/**
 * The whole tree of labeled data: children joined by a balanced binary tree of forks (any fork
 * shape is valid; balanced keeps witnesses short, and `witness` must use the same shape).
 */
export function buildTree(data: LabeledData): HashTree {
    if (data instanceof Uint8Array) return { kind: 'leaf', value: data };
    return forks(data.map((child) => ({ kind: 'labeled', label: child.label, tree: buildTree(child.data) })));
}

function forks(nodes: HashTree[]): HashTree {
    if (nodes.length === 0) return { kind: 'empty' };
    if (nodes.length === 1) return nodes[0]!;
    const middle = Math.ceil(nodes.length / 2);
    return { kind: 'fork', left: forks(nodes.slice(0, middle)), right: forks(nodes.slice(middle)) };
}

/**
 * A witness of `data` for lookups of `paths`: along each path the labeled nodes are revealed;
 * where a path's label is missing, its neighbours are revealed (their subtrees pruned), which
 * proves the absence; a path ending at a node reveals the node's whole subtree. Everything else
 * is pruned, so the witness has the tree's root hash.
 */
export function witness(data: LabeledData, paths: readonly (readonly Uint8Array[])[]): HashTree {
    if (paths.length === 0) return { kind: 'pruned', digest: treeDigest(buildTree(data)) };
    if (data instanceof Uint8Array || paths.some((p) => p.length === 0)) return buildTree(data);
    const revealed = new Map<number, (readonly Uint8Array[])[]>();
    const reveal = (index: number, rest: readonly Uint8Array[] | null): void => {
        if (index < 0 || index >= data.length) return;
        const list = revealed.get(index) ?? [];
        if (rest !== null) list.push(rest);
        revealed.set(index, list);
    };
    for (const path of paths) {
        const label = path[0]!;
        const at = data.findIndex((c) => compareBytes(c.label, label) >= 0);
        if (at !== -1 && compareBytes(data[at]!.label, label) === 0) {
            reveal(at, path.slice(1));
        } else {
            // Absent: the neighbours on either side of where it would be.
            const next = at === -1 ? data.length : at;
            reveal(next - 1, null);
            reveal(next, null);
        }
    }
    return witnessForks(data, 0, data.length, revealed);
}

function witnessForks(children: LabeledChild[], from: number, to: number, revealed: Map<number, (readonly Uint8Array[])[]>): HashTree {
    if (to - from === 0) return { kind: 'empty' };
    const anyRevealed = [...revealed.keys()].some((i) => i >= from && i < to);
    if (!anyRevealed) return { kind: 'pruned', digest: treeDigest(forks(children.slice(from, to).map((c) => ({ kind: 'labeled', label: c.label, tree: buildTree(c.data) })))) };
    if (to - from === 1) {
        const child = children[from]!;
        return { kind: 'labeled', label: child.label, tree: witness(child.data, revealed.get(from)!) };
    }
    const middle = from + Math.ceil((to - from) / 2);
    return { kind: 'fork', left: witnessForks(children, from, middle, revealed), right: witnessForks(children, middle, to, revealed) };
}

/** The CBOR form (`[0]`, `[1, l, r]`, `[2, label, t]`, `[3, value]`, `[4, digest]`) as nested arrays for `encodeCbor`. */
export function treeToCborValue(tree: HashTree): CborValue {
    switch (tree.kind) {
        case 'empty':
            return [0];
        case 'fork':
            return [1, treeToCborValue(tree.left), treeToCborValue(tree.right)];
        case 'labeled':
            return [2, tree.label, treeToCborValue(tree.tree)];
        case 'leaf':
            return [3, tree.value];
        case 'pruned':
            return [4, tree.digest];
    }
}

/** What the dashboard encodes as CBOR: unsigned integers, byte and text strings, arrays. */
export type CborValue = number | Uint8Array | string | CborValue[];

/** CBOR (RFC 8949) with the self-describe tag 55799 in front, as the IC's certificates and trees are sent. */
export function encodeCbor(value: CborValue): Uint8Array {
    const chunks: Uint8Array[] = [Uint8Array.of(0xd9, 0xd9, 0xf7)];
    const head = (major: number, n: number): void => {
        if (n < 24) chunks.push(Uint8Array.of((major << 5) | n));
        else if (n < 0x100) chunks.push(Uint8Array.of((major << 5) | 24, n));
        else if (n < 0x10000) chunks.push(Uint8Array.of((major << 5) | 25, n >> 8, n & 0xff));
        else chunks.push(Uint8Array.of((major << 5) | 26, (n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff));
    };
    const write = (v: CborValue): void => {
        if (typeof v === 'number') head(0, v);
        else if (typeof v === 'string') {
            const bytes = encoder.encode(v);
            head(3, bytes.length);
            chunks.push(bytes);
        } else if (v instanceof Uint8Array) {
            head(2, v.length);
            chunks.push(v);
        } else {
            head(4, v.length);
            v.forEach(write);
        }
    };
    write(value);
    return concatBytes(chunks);
}
