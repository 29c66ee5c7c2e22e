import type { CallConfig, FailureRule, JsonValue, NodeError } from '../../../../shared/workflow';
import type { EvalContext } from './evaluate';
import { replyFailure } from './failure';

const RESULT = '(variant { Ok: nat; Err: variant { InsufficientFunds: record { balance: nat }; TemporarilyUnavailable } })';
const call = (types: string | 'Raw', failure?: FailureRule): CallConfig => ({
    canister: 'aaaaa-aa',
    method: 'm',
    args: { kind: 'Raw', bytes: new Uint8Array() },
    cycles: 0n,
    reply: types === 'Raw' ? { kind: 'Raw' } : { kind: 'Candid', types },
    failure
});
const ctx: EvalContext = { input: { max_slippage: 5 }, output: () => undefined, error: () => undefined };
const self = (path: string) => ({ kind: 'Node' as const, nodeId: 'swap', path });

describe('Orchestrator > failure rules', () => {
    it.each<[string, CallConfig, JsonValue, NodeError | undefined]>([
        ['default: Ok is a success', call(RESULT), { Ok: 5 }, undefined],
        [
            'default: Err is a failure with its value and the inner case',
            call(RESULT),
            { Err: { InsufficientFunds: { balance: 3 } } },
            { kind: 'ReplyErr', message: 'reply case Err: {"InsufficientFunds":{"balance":3}}', case: 'Err', detail: 'InsufficientFunds', value: '{"InsufficientFunds":{"balance":3}}' }
        ],
        ['default: lower-case err counts too', call('(variant { ok: nat; err: text })'), { err: 'no' }, { kind: 'ReplyErr', message: 'reply case err: "no"', case: 'err', value: '"no"' }],
        ['default: a record with a field named Err is not a variant', call('(record { Err: nat })'), { Err: 1 }, undefined],
        ['default: a Raw reply is never judged', call('Raw'), '4449444c', undefined],
        ['Never: an Err reply is a success', call(RESULT, { kind: 'Never' }), { Err: { TemporarilyUnavailable: null } }, undefined],
        [
            'Cases: a named case fails',
            call('(variant { Filled: nat; Expired; Rejected: text })', { kind: 'Cases', cases: ['Expired', 'Rejected'] }),
            { Expired: null },
            { kind: 'ReplyErr', message: 'reply case Expired: null', case: 'Expired', value: 'null' }
        ],
        ['Cases: an unnamed case succeeds, Err included', call(RESULT, { kind: 'Cases', cases: ['Ok'] }), { Err: { TemporarilyUnavailable: null } }, undefined],
        [
            'Condition: holds on the reply and the input',
            call('(record { slippage: nat })', { kind: 'Condition', mode: 'All', clauses: [{ left: self('slippage'), op: 'Gt', right: { kind: 'Input', path: 'max_slippage' } }] }),
            { slippage: 9 },
            { kind: 'ReplyErr', message: 'the failure condition holds for the reply {"slippage":9}', value: '{"slippage":9}' }
        ],
        ['Condition: does not hold', call('(record { slippage: nat })', { kind: 'Condition', mode: 'All', clauses: [{ left: self('slippage'), op: 'Gt', right: { kind: 'Input', path: 'max_slippage' } }] }), { slippage: 2 }, undefined],
        [
            'Condition: cannot be evaluated, fails loudly',
            call('(record { slippage: nat })', { kind: 'Condition', mode: 'All', clauses: [{ left: self('missing'), op: 'Gt', right: { kind: 'Const', json: '1' } }] }),
            { slippage: 2 },
            { kind: 'Evaluation', message: 'failure condition: swap.missing has no value' }
        ]
    ])('%s', (_label, config, reply, expected) => {
        expect(replyFailure('swap', config, reply, ctx)).toEqual(expected);
    });
});
