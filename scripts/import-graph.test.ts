import { resolve } from 'node:path';

import { importCycles, importGraph } from './import-graph';

const ROOT = resolve(__dirname, '..');

describe('importCycles', () => {
    it('finds a cycle through several modules and a self-import, and nothing in a DAG', () => {
        const graph = new Map([
            ['engine', ['timers', 'state']],
            ['timers', ['outbox']],
            ['outbox', ['engine']],
            ['state', []],
            ['self', ['self']],
            ['leaf', ['state']]
        ]);
        expect(importCycles(graph)).toEqual([['engine', 'outbox', 'timers'], ['self']]);
        expect(importCycles(new Map([['a', ['b']], ['b', ['c']], ['c', []]]))).toEqual([]);
    });
});

describe('the repository', () => {
    it('has no value-import cycle in the canisters, the contracts or the client', () => {
        const graph = importGraph(ROOT, ['canisters', 'shared', 'client']);
        expect(graph.size).toBeGreaterThan(100);
        expect(importCycles(graph)).toEqual([]);
    });
});
