import { buildTree, insertLabeled, treeDigest, witness, type HashTree, type LabeledChild } from './hash-tree';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

function labels(tree: HashTree): string[] {
    switch (tree.kind) {
        case 'fork':
            return [...labels(tree.left), ...labels(tree.right)];
        case 'labeled':
            return [new TextDecoder().decode(tree.label), ...labels(tree.tree).map((l) => `${new TextDecoder().decode(tree.label)}/${l}`)];
        default:
            return [];
    }
}

describe('hash tree witnesses', () => {
    const data: LabeledChild[] = [];
    for (const name of ['a', 'c', 'e', 'g', 'i']) insertLabeled(data, [utf8(name), utf8('x')], utf8(`value of ${name}`));

    it('keep the root hash of the whole tree', () => {
        const root = treeDigest(buildTree(data));
        expect(treeDigest(witness(data, [[utf8('e'), utf8('x')]]))).toEqual(root);
        expect(treeDigest(witness(data, [[utf8('d')]]))).toEqual(root);
        expect(treeDigest(witness(data, []))).toEqual(root);
    });

    it('reveal the path looked up and nothing else below other labels', () => {
        expect(labels(witness(data, [[utf8('e'), utf8('x')]]))).toEqual(['e', 'e/x']);
    });

    it('reveal both neighbours of an absent label, their subtrees pruned', () => {
        expect(labels(witness(data, [[utf8('d'), utf8('x')]]))).toEqual(['c', 'e']);
        expect(labels(witness(data, [[utf8('0')]]))).toEqual(['a']);
        expect(labels(witness(data, [[utf8('z')]]))).toEqual(['i']);
    });
});
