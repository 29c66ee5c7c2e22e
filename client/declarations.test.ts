/**
 * The generated declarations (`npm run generate`, from the canisters' Candid files) describe
 * the same services as the IDL factories in `shared/` that the canisters are compiled from and
 * the client uses. A mismatch means a canister's API changed and `npm run generate` (after
 * `npm run build`) was not run, or the canister drifted from its contract.
 */
import { join } from 'node:path';

import { IDL } from '@dfinity/candid';

import { monitorIdlFactory } from '../shared/monitoring/service';
import { schedulerIdlFactory } from '../shared/scheduling/service';
import { executorIdlFactory } from '../shared/workflow/executor-api';
import { orchestratorIdlFactory } from '../shared/workflow/orchestrator-api';

type Factory = (arg: { IDL: typeof IDL }) => IDL.ServiceClass;

/**
 * A generated module's `idlFactory`. Loaded by path so the type checker does not follow the
 * generated files (they import `@icp-sdk/core` subpaths, which need bundler module resolution).
 */
function generated(name: string): Factory {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const module: unknown = require(join(__dirname, 'declarations', `${name}.did`));
    if (typeof module !== 'object' || module === null || !('idlFactory' in module) || typeof module.idlFactory !== 'function') throw new Error(`client/declarations/${name}.did.ts has no idlFactory: run npm run generate`);
    return module.idlFactory as Factory;
}

/** Method name → Candid signature text. The generated factories are called with this package's IDL. */
function signatures(factory: Factory): Map<string, string> {
    const service = factory({ IDL });
    return new Map(service._fields.map(([name, func]) => [name, func.display()]));
}

const CASES: [string, Factory, Factory][] = [
    ['orchestrator', generated('orchestrator'), orchestratorIdlFactory],
    ['scheduler', generated('scheduler'), schedulerIdlFactory],
    ['executor', generated('executor'), executorIdlFactory],
    ['monitor', generated('monitor'), monitorIdlFactory]
];

describe('Client > generated declarations match the shared contracts', () => {
    it.each(CASES)('%s: same methods with the same Candid signatures', (_name, generated, shared) => {
        expect(Object.fromEntries(signatures(generated))).toEqual(Object.fromEntries(signatures(shared)));
    });
});
