import { decodeCbor, encodeCbor } from './cbor';
import { buildTree, insertPath, lookupPath, treeDigest, treeFromCbor, treeToCbor, type HashTree } from './hash-tree';

/** The example tree of the interface specification ("Certification" → "Example"). */
const SPEC_TREE_CBOR =
    '8301830183024161830183018302417882034568656c6c6f810083024179820345776f726c6483024162820344676f6f648301830241638100830241648203476d6f726e696e67';
/** The same tree pruned to /a/y, /ax and /d, as the specification prints it. */
const SPEC_PRUNED_CBOR =
    '83018301830241618301820458201b4feff9bef8131788b0c9dc6dbad6e81e524249c879e9f10f71ce3749f5a638' +
    '83024179820345776f726c6483024162820458207b32ac0c6ba8ce35ac82c255fc7906f7fc130dab2a090f80fe12f9c2cae83ba6' +
    '830182045820ec8324b8a1f1ac16bd2e806edba78006479c9877fed4eb464a25485465af601d830241648203476d6f726e696e67';
const SPEC_ROOT = 'eb5c5b2195e62d996b84c9bcc8259d19a83786a2f59e0878cec84c811f669aa0';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const text = (value: string): Uint8Array => new TextEncoder().encode(value);
const labeled = (label: string, tree: HashTree): HashTree => ({ kind: 'labeled', label: text(label), tree });
const leaf = (value: string): HashTree => ({ kind: 'leaf', value: text(value) });
const fork = (left: HashTree, right: HashTree): HashTree => ({ kind: 'fork', left, right });
const EMPTY: HashTree = { kind: 'empty' };

const specTree = fork(
    fork(labeled('a', fork(fork(labeled('x', leaf('hello')), EMPTY), labeled('y', leaf('world')))), labeled('b', leaf('good'))),
    fork(labeled('c', EMPTY), labeled('d', leaf('morning')))
);

describe('hash trees', () => {
    it('hashes the specification example to its published root hash', () => {
        expect(hex(treeDigest(specTree))).toBe(SPEC_ROOT);
    });

    it('encodes the specification example to its published CBOR', () => {
        expect(hex(encodeCbor(treeToCbor(specTree), false))).toBe(SPEC_TREE_CBOR);
        expect(treeFromCbor(decodeCbor(Buffer.from(SPEC_TREE_CBOR, 'hex')))).toEqual(specTree);
    });

    it('gives the pruned specification example the same root hash', () => {
        const pruned = treeFromCbor(decodeCbor(Buffer.from(SPEC_PRUNED_CBOR, 'hex')));
        expect(hex(treeDigest(pruned))).toBe(SPEC_ROOT);
    });

    it('looks paths up in a pruned tree as the specification says', () => {
        const pruned = treeFromCbor(decodeCbor(Buffer.from(SPEC_PRUNED_CBOR, 'hex')));
        expect(lookupPath(['a', 'y'], pruned)).toEqual({ status: 'found', value: text('world') });
        expect(lookupPath(['d'], pruned)).toEqual({ status: 'found', value: text('morning') });
        expect(lookupPath(['a', 'x'], pruned).status).toBe('unknown');
        expect(lookupPath(['b'], pruned).status).toBe('unknown');
        expect(lookupPath(['e'], pruned).status).toBe('absent');
    });

    it('builds sorted, balanced trees from labeled data', () => {
        const data = new Map();
        insertPath(data, ['d'], text('morning'));
        insertPath(data, ['b'], text('good'));
        insertPath(data, ['a', 'y'], text('world'));
        insertPath(data, ['a', 'x'], text('hello'));
        insertPath(data, ['c'], new Map());
        const tree = buildTree(data);
        expect(lookupPath(['a', 'x'], tree)).toEqual({ status: 'found', value: text('hello') });
        expect(lookupPath(['d'], tree)).toEqual({ status: 'found', value: text('morning') });
        expect(lookupPath(['aa'], tree).status).toBe('absent');
        // Same content, different fork shape: the spec example has an extra Empty under "a".
        expect(hex(treeDigest(tree))).not.toBe(SPEC_ROOT);
        const root = tree.kind === 'fork' ? tree : null;
        expect(root).not.toBeNull();
    });
});
