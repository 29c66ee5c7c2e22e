import { Principal } from '@dfinity/principal';

import { completionOf, isValidCallbackMethod, refuseCompletionTarget } from './completion';
import type { Execution } from './execution';

const DAPP = Principal.fromText('lc6ij-px777-77777-aaadq-cai');
const ORCHESTRATOR = Principal.fromText('rrkah-fqaaa-aaaaa-aaaaq-cai');
const USER = Principal.fromText('2vxsx-fae');

function execution(over: Partial<Execution> = {}): Execution {
    return {
        id: 'ex-1',
        workflowId: 'wf-1',
        workflowVersion: 1,
        trigger: { kind: 'Dapp', canister: DAPP.toText() },
        status: 'Succeeded',
        input: 'null',
        nodes: [
            { nodeId: 'read', status: 'Succeeded', attempts: [], output: '{"price_e8s":1}' },
            { nodeId: 'skipped', status: 'Skipped', attempts: [] },
            { nodeId: 'shape', status: 'Succeeded', attempts: [], output: '{"seen":1}' }
        ],
        createdAt: 1n,
        startedAt: 2n,
        finishedAt: 9n,
        deadlineAt: 100n,
        ranBy: { packageVersion: '0.1.0', buildId: 'ab', canisterVersion: 1n },
        ...over
    } as Execution;
}

describe('Workflow > completion callbacks', () => {
    it('the completion carries the status, the failure and the outputs of the nodes that succeeded', () => {
        expect(completionOf(execution())).toEqual({
            execution_id: 'ex-1',
            workflow_id: 'wf-1',
            status: { Succeeded: null },
            finished_at: 9n,
            failure: [],
            outputs: [
                { node_id: 'read', output: '{"price_e8s":1}' },
                { node_id: 'shape', output: '{"seen":1}' }
            ]
        });
        const failed = completionOf(execution({ status: 'Failed', failure: { kind: 'NodeFailed', nodeId: 'read', message: 'boom' }, nodes: [] }));
        expect(failed).toMatchObject({ status: { Failed: null }, failure: [{ NodeFailed: { node_id: 'read', message: 'boom' } }], outputs: [] });
    });

    it('the target is the caller: a canister outside DeFlow only (no allow-list applies to calling oneself)', () => {
        const rule = { protectedCanisters: [ORCHESTRATOR], allowList: [ORCHESTRATOR] };
        expect(refuseCompletionTarget(DAPP, rule)).toBeUndefined();
        expect(refuseCompletionTarget(USER, rule)).toBe('NotACanister');
        expect(refuseCompletionTarget(ORCHESTRATOR, rule)).toBe('DeflowCanister');
        expect(refuseCompletionTarget(Principal.managementCanister(), rule)).toBe('ManagementCanister');
        expect(refuseCompletionTarget(DAPP, { ...rule, isAgent: (p) => p.toText() === DAPP.toText() })).toBe('DeflowCanister');
    });

    it('a method name is 1 to 128 characters', () => {
        expect(isValidCallbackMethod('on_execution_complete')).toBe(true);
        expect(isValidCallbackMethod('')).toBe(false);
        expect(isValidCallbackMethod('x'.repeat(128))).toBe(true);
        expect(isValidCallbackMethod('x'.repeat(129))).toBe(false);
    });
});
