/**
 * Import cycles among a tree of TypeScript modules: the house rule is "no import cycles"
 * (a cycle makes module initialisation order matter, and in a canister a half-initialised
 * module traps at install). Only value imports count: `import type` is erased at build time.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

/** Module path (relative to the root) to the modules it imports values from. */
export type ImportGraph = ReadonlyMap<string, readonly string[]>;

const IMPORT = /(?:^|\n)\s*(import|export)\s+(type\s+)?[^'";]*?from\s+'(\.[^']+)'/g;

function sourceFiles(dir: string): string[] {
    return readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sourceFiles(path);
        return path.endsWith('.ts') && !path.endsWith('.test.ts') && !path.endsWith('.d.ts') ? [path] : [];
    });
}

function resolveModule(from: string, spec: string): string | undefined {
    const base = normalize(join(dirname(from), spec));
    return [`${base}.ts`, join(base, 'index.ts')].find((candidate) => existsSync(candidate));
}

/** The value-import graph of every `.ts` file under `dirs` (tests excluded), paths relative to `root`. */
export function importGraph(root: string, dirs: readonly string[]): ImportGraph {
    const graph = new Map<string, string[]>();
    for (const file of dirs.flatMap((d) => sourceFiles(join(root, d)))) {
        const text = readFileSync(file, 'utf8');
        const targets: string[] = [];
        for (const m of text.matchAll(IMPORT)) {
            if (m[2] !== undefined) continue;
            const target = resolveModule(file, m[3] ?? '');
            if (target !== undefined) targets.push(relative(root, target));
        }
        graph.set(relative(root, file), targets);
    }
    return graph;
}

/**
 * The strongly connected components with more than one module (or a module importing itself):
 * each is an import cycle. Tarjan's algorithm, iterative so deep graphs cannot overflow.
 *
 * @example
 * importCycles(new Map([['a', ['b']], ['b', ['a']]])) // [['a', 'b']]
 */
export function importCycles(graph: ImportGraph): string[][] {
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const onStack = new Set<string>();
    const cycles: string[][] = [];
    let next = 0;
    for (const start of graph.keys()) {
        if (index.has(start)) continue;
        const work: { node: string; edge: number }[] = [{ node: start, edge: 0 }];
        index.set(start, next);
        low.set(start, next++);
        stack.push(start);
        onStack.add(start);
        while (work.length > 0) {
            const frame = work[work.length - 1]!;
            const edges = graph.get(frame.node) ?? [];
            if (frame.edge < edges.length) {
                const to = edges[frame.edge++]!;
                if (!index.has(to)) {
                    index.set(to, next);
                    low.set(to, next++);
                    stack.push(to);
                    onStack.add(to);
                    work.push({ node: to, edge: 0 });
                } else if (onStack.has(to)) {
                    low.set(frame.node, Math.min(low.get(frame.node)!, index.get(to)!));
                }
                continue;
            }
            work.pop();
            const parent = work[work.length - 1];
            if (parent !== undefined) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
            if (low.get(frame.node) !== index.get(frame.node)) continue;
            const component: string[] = [];
            let member: string | undefined;
            do {
                member = stack.pop()!;
                onStack.delete(member);
                component.push(member);
            } while (member !== frame.node);
            if (component.length > 1 || edges.includes(frame.node)) cycles.push(component.sort());
        }
    }
    return cycles;
}
