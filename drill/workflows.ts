/**
 * Workflow definitions wired to the demo canisters: what drills, benchmarks and the workflow
 * integration tests run. The shared fixtures (`shared/workflow/testing.ts`) name placeholder
 * canister ids; {@link pointAtDemo} swaps in the deployed demo canisters.
 */
import type { Principal } from '@dfinity/principal';

import { BACKUP_ORACLE, LENDING, ORACLE, after, liquidationWorkflow, node } from '../shared/workflow/testing';
import { encodeWorkflowDefinition, type RecoveryPolicy, type WorkflowDefinition } from '../shared/workflow';

/** Ids of the deployed demo canisters. */
export type DemoIds = { oracle: Principal; backupOracle: Principal; lending: Principal };

/** `DIDL` with no arguments: the Candid encoding of `()`. */
export const EMPTY_CANDID_ARGS = new Uint8Array([0x44, 0x49, 0x44, 0x4c, 0, 0]);

/** Replaces the placeholder canister ids of `shared/workflow/testing.ts` with the deployed demo canisters. */
export function pointAtDemo(def: WorkflowDefinition, ids: DemoIds): WorkflowDefinition {
    const map: Record<string, string> = { [ORACLE]: ids.oracle.toText(), [BACKUP_ORACLE]: ids.backupOracle.toText(), [LENDING]: ids.lending.toText() };
    return {
        ...def,
        nodes: def.nodes.map((n) => (n.config.kind === 'Call' ? { ...n, config: { ...n.config, canister: map[n.config.canister] ?? n.config.canister } } : n))
    };
}

/** The liquidation-protection workflow of the shared fixtures, wired to the demo canisters. */
export function liquidationDefinition(ids: DemoIds, change: (d: WorkflowDefinition) => WorkflowDefinition = (d) => d) {
    return encodeWorkflowDefinition(change(pointAtDemo(liquidationWorkflow(), ids)));
}

/** Execution input of the liquidation workflow: repay `amount` when the price is below `threshold`. */
export function liquidationInput(thresholdE8s: bigint, amount = 5n): [string] {
    return [JSON.stringify({ threshold_e8s: Number(thresholdE8s), repay: { amount: Number(amount), position: 'pos-1' } })];
}

/** A one-call workflow: read the oracle with `recovery`, then a transform reading its output. */
export function oracleProbeDefinition(ids: Pick<DemoIds, 'oracle'>, recovery: RecoveryPolicy, over: Partial<WorkflowDefinition> = {}) {
    const def: WorkflowDefinition = {
        name: 'Oracle probe',
        description: 'reads the price and reshapes it',
        nodes: [
            node('read', {
                config: { kind: 'Call', canister: ids.oracle.toText(), method: 'get_price', args: { kind: 'Raw', bytes: EMPTY_CANDID_ARGS }, cycles: 0n, reply: { kind: 'Candid', types: '(record { price_e8s: nat64 })' } },
                recovery
            }),
            node('shape', { config: { kind: 'Transform', fields: [{ key: 'seen', value: { kind: 'Node', nodeId: 'read', path: '' } }] }, dependsOn: after('read') })
        ],
        ...over
    };
    return encodeWorkflowDefinition(def);
}

/** A workflow that only waits (`delay` node) for `ms`: something to cancel or pause. */
export function delayDefinition(ms: number, over: Partial<WorkflowDefinition> = {}) {
    return encodeWorkflowDefinition({ name: 'Wait', description: '', nodes: [node('wait', { config: { kind: 'Delay', durationMs: ms } })], ...over });
}
