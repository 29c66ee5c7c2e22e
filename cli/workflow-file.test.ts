import { CliError } from './errors';
import { formatPath, parseWorkflowText, validateDefinition } from './workflow-file';

const GOOD = {
    name: 'wf',
    nodes: [
        { id: 'a', config: { kind: 'Delay', durationMs: 10 } },
        { id: 'b', config: { kind: 'Call', canister: 'rrkah-fqaaa-aaaaa-aaaaq-cai', method: 'get', args: { kind: 'Raw', bytes: '4449444c0000' }, cycles: '5', reply: { kind: 'Raw' } }, dependsOn: ['a'] }
    ]
};

function problems(text: string, file: string): { message: string; details: readonly string[] } {
    try {
        parseWorkflowText(text, file);
    } catch (error) {
        if (error instanceof CliError && error.kind === 'BadInput') return { message: error.message, details: error.details };
        throw error;
    }
    throw new Error('expected the file to be refused');
}

function broken(mutate: (d: { nodes: Record<string, unknown>[] } & Record<string, unknown>) => void): string {
    const d = JSON.parse(JSON.stringify(GOOD)) as { nodes: Record<string, unknown>[] } & Record<string, unknown>;
    mutate(d);
    return JSON.stringify(d, null, 2);
}

describe('CLI > workflow files', () => {
    it('formats field paths with indices in brackets', () => {
        expect(formatPath(['nodes', 2, 'config', 'method'])).toBe('nodes[2].config.method');
        expect(formatPath([])).toBe('(root)');
    });

    it('fills the defaults a hand-written file leaves out and converts hex bytes and cycles', () => {
        const r = validateDefinition(GOOD);
        if (!r.ok) throw new Error(r.issues.map((i) => i.message).join());
        expect(r.definition.description).toBe('');
        expect(r.definition.nodes[0]!.join).toBe('All');
        expect(r.definition.nodes[1]!.dependsOn).toEqual([{ nodeId: 'a', when: 'Always' }]);
        const config = r.definition.nodes[1]!.config;
        if (config.kind !== 'Call' || config.args.kind !== 'Raw') throw new Error('expected a raw call');
        expect(config.cycles).toBe(5n);
        expect(Array.from(config.args.bytes)).toEqual([0x44, 0x49, 0x44, 0x4c, 0, 0]);
    });

    it.each<[string, (d: { nodes: Record<string, unknown>[] } & Record<string, unknown>) => void, string]>([
        ['an empty method', (d) => ((d.nodes[1]!.config as Record<string, unknown>).method = ''), 'nodes[1].config.method'],
        ['a bad principal', (d) => ((d.nodes[1]!.config as Record<string, unknown>).canister = 'nope'), 'nodes[1].config.canister'],
        ['a bad node id', (d) => (d.nodes[0]!.id = 'has space'), 'nodes[0].id'],
        ['an unknown node kind', (d) => ((d.nodes[0]!.config as Record<string, unknown>).kind = 'Teleport'), 'nodes[0].config.kind'],
        ['a negative delay', (d) => ((d.nodes[0]!.config as Record<string, unknown>).durationMs = -1), 'nodes[0].config.durationMs'],
        ['bad hex bytes', (d) => (((d.nodes[1]!.config as Record<string, unknown>).args as Record<string, unknown>).bytes = 'xyz'), 'nodes[1].config.args.bytes'],
        ['fractional cycles', (d) => ((d.nodes[1]!.config as Record<string, unknown>).cycles = 1.5), 'nodes[1].config.cycles'],
        ['no nodes', (d) => (d.nodes = []), 'nodes'],
        ['a missing name', (d) => delete d.name, 'name']
    ])('points at the field for %s', (_what, mutate, path) => {
        const { details } = problems(broken(mutate), 'wf.json');
        expect(details.map((line) => line.split(' ')[0]!.replace(/:$/, ''))).toContain(path);
    });

    it('gives the line of the offending field in a YAML file', () => {
        const yaml = ['name: wf', 'nodes:', '  - id: a', '    config:', '      kind: Notify', '      level: Loud', '      message: hi'].join('\n');
        const { message, details } = problems(yaml, 'wf.yaml');
        expect(message).toBe('wf.yaml is not a valid workflow (1 problem)');
        expect(details).toHaveLength(1);
        expect(details[0]).toMatch(/^nodes\[0\]\.config\.level \(line 6\): /);
    });

    it('gives the line of the offending field in a JSON file', () => {
        const { details } = problems(broken((d) => ((d.nodes[1]!.config as Record<string, unknown>).method = '')), 'wf.json');
        expect(details[0]).toMatch(/^nodes\[1\]\.config\.method \(line \d+\): /);
    });

    it('refuses text that is not JSON or YAML with the position', () => {
        expect(problems('{"name": "x",', 'wf.json').message).toMatch(/^wf\.json is not valid JSON: /);
        expect(problems('name: [unclosed', 'wf.yml').message).toMatch(/^wf\.yml is not valid YAML \(line \d+, column \d+\)/);
    });
});
