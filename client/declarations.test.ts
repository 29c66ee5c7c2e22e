/**
 * The generated declarations (`npm run generate`, from the canisters' Candid files) describe
 * the same services as the IDL factories in `shared/` that the canisters are compiled from and
 * the client uses. A mismatch means a canister's API changed and `npm run generate` (after
 * `npm run build`) was not run, or the canister drifted from its contract.
 */
import { IDL } from '@dfinity/candid';

import { MonitorServiceIdl } from '../shared/monitoring/service';
import { SchedulerServiceIdl } from '../shared/scheduling/service';
import { executorIdlFactory } from '../shared/workflow/executor-api';
import { orchestratorIdlFactory } from '../shared/workflow/orchestrator-api';
import { idlFactory as executorGenerated } from './declarations/executor.did';
import { idlFactory as monitorGenerated } from './declarations/monitor.did';
import { idlFactory as orchestratorGenerated } from './declarations/orchestrator.did';
import { idlFactory as schedulerGenerated } from './declarations/scheduler.did';

type Factory = (arg: { IDL: typeof IDL }) => IDL.ServiceClass;

/** Method name → Candid signature text. The generated factories are called with this package's IDL. */
function signatures(factory: Factory): Map<string, string> {
    const service = factory({ IDL });
    return new Map(service._fields.map(([name, func]) => [name, func.display()]));
}

const CASES: [string, Factory, Factory][] = [
    ['orchestrator', orchestratorGenerated as unknown as Factory, orchestratorIdlFactory],
    ['scheduler', schedulerGenerated as unknown as Factory, () => SchedulerServiceIdl],
    ['executor', executorGenerated as unknown as Factory, executorIdlFactory],
    ['monitor', monitorGenerated as unknown as Factory, () => MonitorServiceIdl]
];

describe('Client > generated declarations match the shared contracts', () => {
    it.each(CASES)('%s: same methods with the same Candid signatures', (_name, generated, shared) => {
        expect(Object.fromEntries(signatures(generated))).toEqual(Object.fromEntries(signatures(shared)));
    });
});
