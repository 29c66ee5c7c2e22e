import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { CliError } from './errors';
import { parseVarFlags, placeholderEnvName, placeholderValues, readIdsFile, substitutePlaceholders } from './placeholders';
import { parseWorkflowText } from './workflow-file';

const ORACLE = 'rrkah-fqaaa-aaaaa-aaaaq-cai';

describe('CLI > workflow file placeholders', () => {
    it('fills ${name} in every string, leaves keys alone, keeps $${ as a literal', () => {
        const lookup = (n: string): string | undefined => ({ 'demo.price_oracle': ORACLE, who: 'ops' })[n];
        const r = substitutePlaceholders({ a: '${demo.price_oracle}', b: ['x ${who} y', 3], '${who}': 'k', c: 'price $${demo.price_oracle}' }, lookup);
        expect(r).toEqual({ value: { a: ORACLE, b: ['x ops y', 3], '${who}': 'k', c: 'price ${demo.price_oracle}' }, missing: [], invalid: [] });
    });

    it('lists names with no value and malformed names, once each', () => {
        const r = substitutePlaceholders(['${demo.a}', '${demo.a} ${Bad Name}', '${demo.b}'], () => undefined);
        expect(r.missing).toEqual(['demo.a', 'demo.b']);
        expect(r.invalid).toEqual(['Bad Name']);
    });

    it('takes --var first, then $DEFLOW_VAR_…, then the demo ids file and the deployment', () => {
        expect(placeholderEnvName('demo.price_oracle')).toBe('DEFLOW_VAR_DEMO_PRICE_ORACLE');
        const values = placeholderValues({
            flags: ['demo.price_oracle=from-flag'],
            env: { DEFLOW_VAR_DEMO_PRICE_ORACLE: 'from-env', DEFLOW_VAR_DEMO_LENDING_POSITION: 'from-env', DEFLOW_VAR_DEMO_EMPTY: '' },
            demo: { price_oracle: 'from-file', lending_position: 'from-file', backup_price_oracle: 'from-file', empty: 'from-file' },
            deflow: { orchestrator: 'orch' }
        });
        expect(['demo.price_oracle', 'demo.lending_position', 'demo.backup_price_oracle', 'demo.empty', 'deflow.orchestrator', 'demo.nope'].map(values)).toEqual([
            'from-flag',
            'from-env',
            'from-file',
            'from-file',
            'orch',
            undefined
        ]);
    });

    it('refuses a --var without NAME=', () => {
        expect(() => parseVarFlags(['demo.price_oracle'])).toThrow(CliError);
        expect(() => parseVarFlags(['Demo=1'])).toThrow(/--var must be NAME=VALUE/);
        expect(parseVarFlags(['a.b=x=y']).get('a.b')).toBe('x=y');
    });

    it('reads a flat ids file and refuses anything else', () => {
        const dir = mkdtempSync(join(tmpdir(), 'deflow-ids-'));
        try {
            writeFileSync(join(dir, 'ok.json'), JSON.stringify({ price_oracle: ORACLE }));
            writeFileSync(join(dir, 'bad.json'), JSON.stringify({ price_oracle: 7 }));
            expect(readIdsFile(join(dir, 'ok.json'))).toEqual({ price_oracle: ORACLE });
            expect(() => readIdsFile(join(dir, 'bad.json'))).toThrow(/"price_oracle" must be text/);
            expect(() => readIdsFile(join(dir, 'none.json'))).toThrow(/ENOENT/);
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });

    describe('in a workflow file', () => {
        const yaml = 'name: p\nnodes:\n  - id: read\n    config: { kind: Call, canister: "${demo.price_oracle}", method: get_price, args: { kind: Raw, bytes: "4449444c0000" }, reply: { kind: Raw } }\n';

        it('are filled before validation', () => {
            const { definition } = parseWorkflowText(yaml, 'p.yaml', { lookup: (n) => (n === 'demo.price_oracle' ? ORACLE : undefined) });
            expect(definition.nodes[0]!.config).toMatchObject({ kind: 'Call', canister: ORACLE });
        });

        it('without a value fail with how to give one (exit 2 kind)', () => {
            let error: unknown;
            try {
                parseWorkflowText(yaml, 'p.yaml');
            } catch (e) {
                error = e;
            }
            expect(error).toBeInstanceOf(CliError);
            expect((error as CliError).kind).toBe('BadInput');
            expect((error as CliError).details).toEqual(['${demo.price_oracle}: give it with --var demo.price_oracle=VALUE, $DEFLOW_VAR_DEMO_PRICE_ORACLE, or .deflow/demo.json (npm start writes it)']);
        });

        it('get the stand-in when one is given, and are reported', () => {
            const r = parseWorkflowText(yaml, 'p.yaml', { lookup: () => undefined, standIn: 'aaaaa-aa' });
            expect(r.unresolved).toEqual(['demo.price_oracle']);
            expect(r.definition.nodes[0]!.config).toMatchObject({ canister: 'aaaaa-aa' });
        });

        it('an id that is not a principal is reported at its field', () => {
            expect(() => parseWorkflowText(yaml, 'p.yaml', { lookup: () => 'not-a-principal' })).toThrow(/not a valid workflow/);
        });
    });
});
