import { Principal } from '@dfinity/principal';
import { IDL } from '@dfinity/candid';

import type { CallTargetRule } from '../../../../shared/workflow';
import { executionsAwaitingLiquidation, liquidationKey, liquidationSlotOf, pendingLiquidation, planLiquidation, resolveLiquidationArgs, settleLiquidation, withLiquidation, withSettled, type Liquidation, type PositionManager } from './liquidation';

const LENDING = 'ryjl3-tyaaa-aaaaa-aaaba-cai';
const ORCHESTRATOR = 'r7inp-6aaaa-aaaaa-aaabq-cai';
const manager: PositionManager = { canister: LENDING, method: 'liquidate', argTypes: '(record { position: text })', replyTypes: '(variant { Ok: nat; Err: text })' };
const rule: CallTargetRule = { protectedCanisters: [Principal.fromText(ORCHESTRATOR)], isAgent: () => false };
const args = resolveLiquidationArgs([{ kind: 'Input', path: 'repay' }], JSON.stringify({ repay: { position: 'pos-1', amount: 5 } }));

describe('Orchestrator > LiquidatePosition', () => {
    it('keys the call apart from the execution (its cancellation never reaches it) and finds the execution back', () => {
        expect(liquidationKey({ executionId: 'ex-0000000007', nodeId: 'repay', action: 0 })).toEqual({ execution_id: 'lq-0000000007', node_id: 'repay', attempt: 1 });
        expect(liquidationSlotOf({ execution_id: 'lq-0000000007', node_id: 'repay', attempt: 1 })).toEqual({ executionId: 'ex-0000000007', nodeId: 'repay', action: 0 });
        expect(liquidationSlotOf({ execution_id: 'ex-0000000007', node_id: 'repay', attempt: 1 })).toBeUndefined();
    });

    it('gives each LiquidatePosition action of one node its own key and its own record', () => {
        const first = { executionId: 'ex-4', nodeId: 'repay', action: 0 };
        const second = { ...first, action: 2 };
        expect(liquidationKey(second)).not.toEqual(liquidationKey(first));
        expect(liquidationSlotOf(liquidationKey(second))).toEqual(second);
        const log = [first, second].reduce<Liquidation[]>((acc, s) => withLiquidation(acc, { ...s, requestedAt: 1n, status: { kind: 'Pending' } }, 10), []);
        const settled = withSettled(log, second, { kind: 'Succeeded', output: '1' }, 9n);
        expect(settled?.map((l) => [l.action, l.status.kind])).toEqual([
            [2, 'Succeeded'],
            [0, 'Pending']
        ]);
        expect(pendingLiquidation(settled!, first)).toMatchObject({ action: 0 });
        expect(pendingLiquidation(settled!, second)).toBeUndefined();
    });

    it('names the executions whose liquidation still waits for its report (history pruning keeps them)', () => {
        const log = [
            { executionId: 'ex-1', nodeId: 'repay', action: 0 },
            { executionId: 'ex-2', nodeId: 'repay', action: 0 },
            { executionId: 'ex-2', nodeId: 'repay', action: 1 }
        ].reduce<Liquidation[]>((acc, s) => withLiquidation(acc, { ...s, requestedAt: 1n, status: { kind: 'Pending' } }, 10), []);
        const oneSettled = withSettled(log, { executionId: 'ex-1', nodeId: 'repay', action: 0 }, { kind: 'Succeeded', output: '1' }, 2n)!;
        expect([...executionsAwaitingLiquidation(oneSettled)]).toEqual(['ex-2']);
        const halfOfTwo = withSettled(oneSettled, { executionId: 'ex-2', nodeId: 'repay', action: 1 }, { kind: 'Succeeded', output: '1' }, 3n)!;
        expect([...executionsAwaitingLiquidation(halfOfTwo)]).toEqual(['ex-2']);
    });

    it('encodes the values read from the input against the manager argument types', () => {
        const plan = planLiquidation(manager, rule, args);
        expect(plan.kind).toBe('Send');
        if (plan.kind !== 'Send') return;
        expect(plan.task).toMatchObject({ kind: 'Call', canister: LENDING, method: 'liquidate', cycles: 0n, reply: { kind: 'Candid', types: manager.replyTypes } });
        // Extra fields of the input value are dropped by the record type, as for call templates.
        expect(IDL.decode([IDL.Record({ position: IDL.Text })], plan.task.args)).toEqual([{ position: 'pos-1' }]);
    });

    it.each([
        ['no manager configured', undefined, rule, args, { kind: 'NoPositionManager' }],
        ['a manager the rule refuses now (a DeFlow canister)', { ...manager, canister: ORCHESTRATOR }, rule, args, { kind: 'CallRefused', reason: 'DeflowCanister' }],
        ['a manager off a narrowed allow-list', manager, { ...rule, allowList: [Principal.fromText('aaaaa-aa')] }, args, { kind: 'CallRefused', reason: 'NotOnAllowList' }],
        ['an input path the execution lacks', manager, rule, resolveLiquidationArgs([{ kind: 'Input', path: 'position' }], '{}'), { kind: 'InvalidArguments', message: expect.stringContaining('position') }],
        ['values that do not fit the types', manager, rule, resolveLiquidationArgs([{ kind: 'Const', json: '42' }], '{}'), { kind: 'InvalidArguments', message: expect.any(String) }]
    ] as const)('refuses: %s', (_what, m, r, a, refusal) => {
        expect(planLiquidation(m, r, a)).toEqual({ kind: 'Refuse', refusal });
    });

    it('judges the answer as a call node does: Err is a failure with its value, Ok a success, a reject a failure', () => {
        expect(settleLiquidation(manager.replyTypes, { kind: 'Succeeded', output: '{"Ok":1}' })).toEqual({ kind: 'Succeeded', output: '{"Ok":1}' });
        expect(settleLiquidation(manager.replyTypes, { kind: 'Succeeded', output: '{"Err":"not the position owner"}' })).toMatchObject({ kind: 'Failed', error: { kind: 'ReplyErr', case: 'Err', value: '"not the position owner"' } });
        const rejected = { kind: 'Rejected' as const, message: 'stopped', rejectCode: 5 };
        expect(settleLiquidation(manager.replyTypes, { kind: 'Failed', error: rejected })).toEqual({ kind: 'Failed', error: rejected });
    });

    it('keeps the newest records and settles only a pending one', () => {
        const pending = (n: number): Liquidation => ({ executionId: `ex-${n}`, nodeId: 'repay', requestedAt: BigInt(n), status: { kind: 'Pending' } });
        const log = [1, 2, 3].reduce<Liquidation[]>((acc, n) => withLiquidation(acc, pending(n), 2), []);
        expect(log.map((l) => l.executionId)).toEqual(['ex-3', 'ex-2']);
        const slot = { executionId: 'ex-2', nodeId: 'repay', action: 0 };
        const settled = withSettled(log, slot, { kind: 'Succeeded', output: '1' }, 9n);
        expect(settled?.[1]).toMatchObject({ status: { kind: 'Succeeded' }, finishedAt: 9n });
        expect(withSettled(settled!, slot, { kind: 'Succeeded', output: '1' }, 10n)).toBeUndefined();
    });
});
