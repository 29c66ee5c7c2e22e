import type { Execution, Fallback, NodeError, RecoveryPolicy, WorkflowDefinition, WorkflowNode } from '../../../../shared/workflow';
import { after, liquidationWorkflow, node } from '../../../../shared/workflow/testing';
import { createUnderfunded, releaseUnderfunded, startExecution } from './advance';
import { compileWorkflow, type CompiledWorkflow } from './draft';
import type { Effect } from './effects';
import { cancelExecution, checkTimeouts, nextDeadline, pauseExecution, resumeExecution } from './lifecycle';
import { handleNodeResult, type AttemptReport } from './outcome';

const S = 1_000_000_000n; // one second in ns
const T0 = 1_000n * S;
const ranBy = { packageVersion: '0.1.0', buildId: 'test', canisterVersion: 1n };

function compile(def: WorkflowDefinition): CompiledWorkflow {
    const c = compileWorkflow(def);
    if ('Err' in c) throw new Error(JSON.stringify(c.Err));
    return c.Ok;
}

function start(wf: CompiledWorkflow, input = '{}'): { exec: Execution; effects: Effect[] } {
    const r = startExecution(wf, { id: 'ex-1', workflowId: 'wf-1', workflowVersion: 1, trigger: { kind: 'Manual' }, input, ranBy }, T0);
    return { exec: r.state, effects: r.effects };
}

const ok = (nodeId: string, output: string, attempt = 1): AttemptReport => ({ nodeId, attempt, startedAt: T0, finishedAt: T0, outcome: { kind: 'Succeeded', output } });
const failed = (nodeId: string, attempt = 1, finishedAt = T0, error: NodeError = { kind: 'Rejected', message: 'boom', rejectCode: 5 }): AttemptReport => ({ nodeId, attempt, startedAt: T0, finishedAt, outcome: { kind: 'Failed', error } });
const status = (e: Execution, id: string) => e.nodes.find((n) => n.nodeId === id);
const kinds = (effects: Effect[]) => effects.map((e) => e.kind);

function recovery(fallback: Fallback, over: Partial<RecoveryPolicy> = {}): RecoveryPolicy {
    return { retry: { maxRetries: 0, initialDelayMs: 0, backoffFactor: 1, maxDelayMs: 0, jitter: false }, fallback, emergencyActions: [], ...over };
}
const call = (id: string, over: Partial<WorkflowNode> = {}): WorkflowNode =>
    node(id, { config: { kind: 'Call', canister: 'aaaaa-aa', method: 'm', args: { kind: 'Raw', bytes: new Uint8Array([0x44, 0x49, 0x44, 0x4c, 0, 0]) }, cycles: 0n, reply: { kind: 'Raw' } }, ...over });
const def = (...nodes: WorkflowNode[]): WorkflowDefinition => ({ name: 't', description: '', nodes, timeoutMs: 3_600_000 });

describe('Orchestrator > execution: liquidation protection', () => {
    const wf = compile(liquidationWorkflow());

    it('dispatches the price read first, the backup stays on standby', () => {
        const { exec, effects } = start(wf, '{"threshold_e8s": 100, "repay": {"amount": 5, "position": "p1"}}');
        expect(exec.status).toBe('Running');
        expect(effects).toEqual([expect.objectContaining({ kind: 'DispatchNode', nodeId: 'price', attempt: 1, dueAt: T0, timeoutMs: 30_000 })]);
        expect(status(exec, 'backup_price')?.status).toBe('Standby');
    });

    it('price below threshold: condition true, repay dispatched with rendered Candid args, notify skipped', () => {
        const s = start(wf, '{"threshold_e8s": 100, "repay": {"amount": 5, "position": "p1"}}');
        const r = handleNodeResult(wf, s.exec, ok('price', '{"price_e8s": 90}'), T0 + S);
        expect(status(r.state, 'check')).toMatchObject({ status: 'Succeeded', output: 'true' });
        expect(status(r.state, 'all_good')?.status).toBe('Skipped');
        const d = r.effects.find((e) => e.kind === 'DispatchNode');
        expect(d).toMatchObject({ nodeId: 'repay', attempt: 1 });
        const r2 = handleNodeResult(wf, r.state, ok('repay', '{"Ok": 5}'), T0 + 2n * S);
        expect(r2.state.status).toBe('Succeeded');
        expect(status(r2.state, 'summary')?.output).toBe('{"price":90,"repaid":{"Ok":5}}');
        expect(kinds(r2.effects)).toEqual(['ExecutionFinished']);
    });

    it('price above threshold: repay skipped, notify emitted, join still runs', () => {
        const s = start(wf, '{"threshold_e8s": 100}');
        const r = handleNodeResult(wf, s.exec, ok('price', '{"price_e8s": 150}'), T0 + S);
        expect(status(r.state, 'repay')?.status).toBe('Skipped');
        expect(r.effects).toContainEqual(expect.objectContaining({ kind: 'Notify', level: 'Info', nodeId: 'all_good' }));
        expect(r.state.status).toBe('Succeeded');
        expect(status(r.state, 'summary')?.output).toBe('{"price":150,"repaid":null}');
    });

    it('counts the backoff from when the attempt failed, not from when its report arrived', () => {
        const exec = start(wf, '{"threshold_e8s": 100}').exec;
        // The report of a failure at T0 arrives 600 ms late (outbox, busy rounds): the retry stays due at T0 + 1 s.
        const r = handleNodeResult(wf, exec, failed('price', 1, T0), T0 + 600n * (S / 1000n));
        expect(r.effects).toEqual([expect.objectContaining({ kind: 'DispatchNode', nodeId: 'price', attempt: 2, dueAt: T0 + S })]);
    });

    it('retries with backoff 1 s then 2 s, then takes the alternative node whose output dependents read', () => {
        let exec = start(wf, '{"threshold_e8s": 100}').exec;
        let r = handleNodeResult(wf, exec, failed('price', 1), T0);
        expect(r.effects).toEqual([expect.objectContaining({ kind: 'DispatchNode', nodeId: 'price', attempt: 2, dueAt: T0 + S })]);
        expect(status(r.state, 'price')).toMatchObject({ status: 'WaitingRetry', nextAttemptAt: T0 + S });
        exec = r.state;
        r = handleNodeResult(wf, exec, failed('price', 2, T0 + S), T0 + S);
        expect(r.effects).toEqual([expect.objectContaining({ kind: 'DispatchNode', attempt: 3, dueAt: T0 + 3n * S })]);
        r = handleNodeResult(wf, r.state, failed('price', 3, T0 + 3n * S), T0 + 3n * S);
        expect(status(r.state, 'price')).toMatchObject({ status: 'Failed', fallbackTaken: 'UseAlternativeNode' });
        expect(status(r.state, 'backup_price')).toMatchObject({ status: 'Running', alternativeFor: 'price' });
        expect(r.effects).toEqual([expect.objectContaining({ kind: 'DispatchNode', nodeId: 'backup_price', attempt: 1 })]);
        r = handleNodeResult(wf, r.state, ok('backup_price', '{"price_e8s": 500}'), T0 + 4n * S);
        expect(status(r.state, 'price')?.output).toBe('{"price_e8s": 500}');
        expect(status(r.state, 'check')?.output).toBe('false');
        expect(r.state.status).toBe('Succeeded');
        expect(status(r.state, 'price')?.attempts.map((a) => a.attempt)).toEqual([1, 2, 3]);
    });

    it('ignores duplicate and stale reports (idempotent report_node_result)', () => {
        const s = start(wf, '{"threshold_e8s": 100}');
        const r = handleNodeResult(wf, s.exec, failed('price', 1), T0);
        expect(handleNodeResult(wf, r.state, failed('price', 1), T0).ignored).toBe('StaleAttempt');
        const done = handleNodeResult(wf, r.state, ok('price', '{"price_e8s": 150}', 2), T0 + S);
        expect(handleNodeResult(wf, done.state, ok('price', '{"price_e8s": 1}', 2), T0 + S).ignored).toBe('ExecutionFinished');
        expect(handleNodeResult(wf, r.state, ok('nope', '1'), T0).ignored).toBe('UnknownNode');
        expect(handleNodeResult(wf, r.state, ok('check', '1'), T0).ignored).toBe('NotAwaited');
    });

    it('repay failing for good sends the emergency notification, pauses all workflows and stops the execution', () => {
        const s = start(wf, '{"threshold_e8s": 100, "repay": {"amount": 5, "position": "p1"}}');
        let r = handleNodeResult(wf, s.exec, ok('price', '{"price_e8s": 90}'), T0);
        for (let attempt = 1; attempt <= 4; attempt++) r = handleNodeResult(wf, r.state, failed('repay', attempt), T0 + BigInt(attempt) * S);
        expect(r.state.status).toBe('Failed');
        expect(r.state.failure).toEqual({ kind: 'NodeFailed', nodeId: 'repay', message: 'boom' });
        expect(kinds(r.effects)).toEqual(['Notify', 'PauseAllWorkflows', 'ExecutionFinished']);
        expect(status(r.state, 'summary')?.status).toBe('Cancelled');
    });

    it('a template whose input is missing fails the node with a non-retried Evaluation error', () => {
        const s = start(wf, '{"threshold_e8s": 100}');
        const r = handleNodeResult(wf, s.exec, ok('price', '{"price_e8s": 90}'), T0);
        expect(status(r.state, 'repay')).toMatchObject({ status: 'Failed', error: { kind: 'Evaluation' } });
        expect(r.state.status).toBe('Failed');
    });
});

describe('Orchestrator > fallbacks', () => {
    const downstream = node('after', { config: { kind: 'Transform', fields: [{ key: 'got', value: { kind: 'Node', nodeId: 'x', path: '' } }] }, dependsOn: after('x') });
    const cases: [string, Fallback, Partial<Execution['nodes'][number]>, string | undefined, string[]][] = [
        ['SkipNode: dependents read null', { kind: 'SkipNode' }, { fallbackTaken: 'SkipNode', output: 'null' }, '{"got":null}', ['ExecutionFinished']],
        ['UseDefaultValue: dependents read the value', { kind: 'UseDefaultValue', value: '{"p":1}' }, { fallbackTaken: 'UseDefaultValue', output: '{"p":1}' }, '{"got":{"p":1}}', ['ExecutionFinished']],
        ['NotifyAndContinue: a notification, then null', { kind: 'NotifyAndContinue', level: 'Warning', message: 'x failed' }, { fallbackTaken: 'NotifyAndContinue', output: 'null' }, '{"got":null}', ['Notify', 'ExecutionFinished']],
        ['StopExecution: the execution fails', { kind: 'StopExecution' }, { fallbackTaken: 'StopExecution' }, undefined, ['ExecutionFinished']]
    ];
    it.each(cases)('%s', (_l, fallback, nodeExpect, downstreamOutput, effectKinds) => {
        const wf = compile(def(call('x', { recovery: recovery(fallback) }), downstream));
        const r = handleNodeResult(wf, start(wf).exec, failed('x'), T0);
        expect(status(r.state, 'x')).toMatchObject({ status: 'Failed', ...nodeExpect });
        expect(status(r.state, 'after')?.output).toBe(downstreamOutput);
        expect(r.state.status).toBe(fallback.kind === 'StopExecution' ? 'Failed' : 'Succeeded');
        expect(kinds(r.effects)).toEqual(effectKinds);
    });

    it('UseAlternativeNode: the alternative failing with its own SkipNode resolves the original with null', () => {
        const wf = compile(def(call('x', { recovery: recovery({ kind: 'UseAlternativeNode', nodeId: 'y' }) }), call('y', { recovery: recovery({ kind: 'SkipNode' }) }), downstream));
        let r = handleNodeResult(wf, start(wf).exec, failed('x'), T0);
        r = handleNodeResult(wf, r.state, failed('y'), T0);
        expect(status(r.state, 'x')?.output).toBe('null');
        expect(r.state.status).toBe('Succeeded');
    });

    it('emergency actions: each becomes an effect, before the fallback', () => {
        const rec = recovery({ kind: 'SkipNode' }, {
            emergencyActions: [{ kind: 'SendNotification', level: 'Critical', message: 'down' }, { kind: 'ExecuteEmergencyWorkflow', workflowId: 'sos' }, { kind: 'PauseAllWorkflows' }, { kind: 'EnableSafeMode' }]
        });
        const wf = compile(def(call('x', { recovery: rec })));
        const r = handleNodeResult(wf, start(wf).exec, failed('x'), T0);
        expect(kinds(r.effects)).toEqual(['Notify', 'StartWorkflow', 'PauseAllWorkflows', 'EnableSafeMode', 'ExecutionFinished']);
        expect(r.effects[1]).toMatchObject({ workflowId: 'sos', origin: { kind: 'Emergency', executionId: 'ex-1', nodeId: 'x' } });
        expect(JSON.parse((r.effects[1] as { input: string }).input)).toMatchObject({ node_id: 'x', error: { kind: 'Rejected' } });
    });
});

describe('Orchestrator > other node kinds', () => {
    it('a delay is dispatched as a Wait due after its duration', () => {
        const wf = compile(def(node('d', { config: { kind: 'Delay', durationMs: 5000 } })));
        const { effects } = start(wf);
        expect(effects).toEqual([expect.objectContaining({ kind: 'DispatchNode', nodeId: 'd', dueAt: T0 + 5n * S, task: { kind: 'Wait' } })]);
    });

    it('start_workflow emits StartWorkflow with the rendered input and waits for its report', () => {
        const wf = compile(def(node('sw', { config: { kind: 'StartWorkflow', workflowId: 'child', input: { kind: 'Input', path: 'payload' } } })));
        const s = start(wf, '{"payload": {"a": 1}}');
        expect(s.effects).toEqual([{ kind: 'StartWorkflow', workflowId: 'child', input: '{"a":1}', origin: { kind: 'Node', executionId: 'ex-1', nodeId: 'sw', attempt: 1 } }]);
        expect(handleNodeResult(wf, s.exec, ok('sw', '{"execution_id":"ex-2"}'), T0).state.status).toBe('Succeeded');
    });

    it('an all-inline workflow finishes within start_execution', () => {
        const wf = compile(def(node('n', { config: { kind: 'Notify', level: 'Info', message: 'hi' } })));
        const s = start(wf);
        expect(s.exec.status).toBe('Succeeded');
        expect(kinds(s.effects)).toEqual(['Notify', 'ExecutionFinished']);
    });
});

describe('Orchestrator > cancel, pause, timeouts', () => {
    const wf = compile(def(call('a'), call('b', { dependsOn: after('a') })));

    it('cancel stops unfinished nodes and tells the executor; cancelling twice is a typed error', () => {
        const r = cancelExecution(wf, start(wf).exec, T0);
        if (!('Ok' in r)) throw new Error('expected Ok');
        expect(r.Ok.state.status).toBe('Cancelled');
        expect(r.Ok.state.nodes.map((n) => n.status)).toEqual(['Cancelled', 'Cancelled']);
        expect(kinds(r.Ok.effects)).toEqual(['CancelDispatched', 'ExecutionFinished']);
        expect(cancelExecution(wf, r.Ok.state, T0)).toEqual({ Err: { kind: 'IllegalExecutionTransition', from: 'Cancelled', to: 'Cancelled' } });
    });

    it('pause holds new nodes; resume starts them', () => {
        const p = pauseExecution(wf, start(wf).exec, T0);
        if (!('Ok' in p)) throw new Error('expected Ok');
        const r = handleNodeResult(wf, p.Ok.state, ok('a', '1'), T0);
        expect(r.effects).toEqual([]);
        expect(status(r.state, 'b')?.status).toBe('Pending');
        const res = resumeExecution(wf, r.state, T0 + S);
        if (!('Ok' in res)) throw new Error('expected Ok');
        expect(res.Ok.effects).toEqual([expect.objectContaining({ kind: 'DispatchNode', nodeId: 'b' })]);
        expect(resumeExecution(wf, res.Ok.state, T0)).toEqual({ Err: { kind: 'IllegalExecutionTransition', from: 'Running', to: 'Running' } });
    });

    it('execution deadline fails the execution', () => {
        const { exec } = start(wf);
        expect(nextDeadline(wf, exec, 0)).toBe(T0 + 300n * S); // default node timeout comes first
        expect(checkTimeouts(wf, exec, T0 + S).effects).toEqual([]);
        const r = checkTimeouts(wf, exec, exec.deadlineAt);
        expect(r.state.status).toBe('Failed');
        expect(r.state.failure).toEqual({ kind: 'TimedOut', deadlineAt: exec.deadlineAt });
    });

    it('a node past timeout + grace fails its attempt with TimedOut; the late report is ignored', () => {
        const wf2 = compile(def(call('a', { timeoutMs: 10_000, recovery: recovery({ kind: 'SkipNode' }) })));
        const { exec } = start(wf2);
        expect(nextDeadline(wf2, exec, 1000)).toBe(T0 + 11n * S);
        const r = checkTimeouts(wf2, exec, T0 + 11n * S, 1000);
        expect(status(r.state, 'a')).toMatchObject({ status: 'Failed', error: { kind: 'TimedOut' }, fallbackTaken: 'SkipNode' });
        expect(r.state.status).toBe('Succeeded');
        expect(handleNodeResult(wf2, r.state, ok('a', '1'), T0 + 12n * S).ignored).toBe('ExecutionFinished');
    });
});

describe('Orchestrator > paused executions hold retries', () => {
    const retrying = recovery({ kind: 'StopExecution' }, { retry: { maxRetries: 2, initialDelayMs: 1000, backoffFactor: 2, maxDelayMs: 10_000, jitter: false } });
    const wf = compile(def(call('a', { timeoutMs: 10_000, recovery: retrying })));
    const paused = (): Execution => {
        const p = pauseExecution(wf, start(wf).exec, T0);
        if (!('Ok' in p)) throw new Error('expected Ok');
        return p.Ok.state;
    };

    it('a failure while paused decides the retry but dispatches nothing', () => {
        const r = handleNodeResult(wf, paused(), failed('a', 1, T0 + S), T0 + S);
        expect(r.effects).toEqual([]);
        expect(status(r.state, 'a')).toMatchObject({ status: 'WaitingRetry', nextAttemptAt: T0 + 2n * S });
        expect(status(r.state, 'a')?.attempts.map((a) => a.attempt)).toEqual([1]);
        expect(nextDeadline(wf, r.state, 0)).toBe(r.state.deadlineAt); // nothing is out: only the execution deadline remains
        expect(handleNodeResult(wf, r.state, failed('a', 1, T0 + S), T0 + S).ignored).toBe('StaleAttempt');
    });

    it('resume dispatches the held retry at its time, or at once if that passed', () => {
        const held = handleNodeResult(wf, paused(), failed('a', 1, T0 + S), T0 + S).state;
        const early = resumeExecution(wf, held, T0 + S);
        if (!('Ok' in early)) throw new Error('expected Ok');
        expect(early.Ok.effects).toEqual([expect.objectContaining({ kind: 'DispatchNode', nodeId: 'a', attempt: 2, dueAt: T0 + 2n * S })]);
        const late = resumeExecution(wf, held, T0 + 60n * S);
        if (!('Ok' in late)) throw new Error('expected Ok');
        expect(late.Ok.effects).toEqual([expect.objectContaining({ kind: 'DispatchNode', nodeId: 'a', attempt: 2, dueAt: T0 + 60n * S })]);
        expect(handleNodeResult(wf, late.Ok.state, ok('a', '1', 2), T0 + 61n * S).state.status).toBe('Succeeded');
    });

    it('a node timing out while paused holds its retry too, and is not timed out again', () => {
        const deadline = nextDeadline(wf, paused(), 1000);
        expect(deadline).toBe(T0 + 11n * S);
        const r = checkTimeouts(wf, paused(), T0 + 11n * S, 1000);
        expect(r.effects).toEqual([]);
        expect(status(r.state, 'a')).toMatchObject({ status: 'WaitingRetry', attempts: [expect.objectContaining({ attempt: 1, finishedAt: T0 + 11n * S, error: expect.objectContaining({ kind: 'TimedOut' }) })] });
        expect(checkTimeouts(wf, r.state, T0 + 30n * S, 1000)).toEqual({ state: r.state, effects: [] });
    });

    it('a running execution still dispatches its retry at once', () => {
        expect(handleNodeResult(wf, start(wf).exec, failed('a', 1, T0 + S), T0 + S).effects).toEqual([expect.objectContaining({ kind: 'DispatchNode', attempt: 2 })]);
    });
});

describe('Orchestrator > execution: Err replies count as failures', () => {
    const RESULT = '(variant { Ok: nat; Err: variant { InsufficientFunds: record { balance: nat }; TemporarilyUnavailable } })';
    const candidCall = (id: string, over: Partial<WorkflowNode> = {}): WorkflowNode => {
        const base = call(id);
        return { ...base, ...over, config: { ...(base.config as Extract<WorkflowNode['config'], { kind: 'Call' }>), reply: { kind: 'Candid', types: RESULT } } };
    };
    const retryTwice = { maxRetries: 2, initialDelayMs: 1000, backoffFactor: 1, maxDelayMs: 1000, jitter: false };
    // The alternative is a transform here: what a catch branch's template would render.
    const wf = compile(
        def(
            candidCall('pay', {
                recovery: recovery(
                    { kind: 'UseAlternativeNode', nodeId: 'catch' },
                    { retry: retryTwice, retryOn: [{ errors: [{ kind: 'ErrCase', case: 'InsufficientFunds' }], retry: { ...retryTwice, maxRetries: 0 } }] }
                )
            }),
            node('catch', {
                config: {
                    kind: 'Transform',
                    fields: [
                        { key: 'why', value: { kind: 'Error', nodeId: 'pay', path: 'detail' } },
                        { key: 'value', value: { kind: 'Error', nodeId: 'pay', path: 'value' } }
                    ]
                }
            })
        )
    );
    const errReply = (attempt: number, body: string): AttemptReport => ok('pay', `{"Err":${body}}`, attempt);

    it('an Err reply is retried, then the alternative reads the error as data', () => {
        const s = start(wf);
        const r1 = handleNodeResult(wf, s.exec, errReply(1, '{"TemporarilyUnavailable":null}'), T0 + S);
        expect(status(r1.state, 'pay')).toMatchObject({ status: 'WaitingRetry', error: { kind: 'ReplyErr', case: 'Err', detail: 'TemporarilyUnavailable' } });
        expect(r1.effects).toEqual([expect.objectContaining({ kind: 'DispatchNode', nodeId: 'pay', attempt: 2 })]);
        const r2 = handleNodeResult(wf, r1.state, errReply(2, '{"TemporarilyUnavailable":null}'), T0 + 2n * S);
        const r3 = handleNodeResult(wf, r2.state, errReply(3, '{"TemporarilyUnavailable":null}'), T0 + 3n * S);
        expect(status(r3.state, 'pay')).toMatchObject({ status: 'Failed', fallbackTaken: 'UseAlternativeNode' });
        expect(status(r3.state, 'pay')?.attempts).toHaveLength(3);
        expect(r3.state.status).toBe('Succeeded');
        expect(JSON.parse(status(r3.state, 'catch')?.output ?? 'null')).toEqual({ why: 'TemporarilyUnavailable', value: { TemporarilyUnavailable: null } });
        expect(status(r3.state, 'pay')?.output).toBe(status(r3.state, 'catch')?.output);
    });

    it('the error class picks the retry rule: InsufficientFunds is not retried', () => {
        const s = start(wf);
        const r = handleNodeResult(wf, s.exec, errReply(1, '{"InsufficientFunds":{"balance":3}}'), T0 + S);
        expect(status(r.state, 'pay')).toMatchObject({ status: 'Failed', attempts: [expect.objectContaining({ attempt: 1 })] });
        expect(JSON.parse(status(r.state, 'catch')?.output ?? 'null')).toEqual({ why: 'InsufficientFunds', value: { InsufficientFunds: { balance: 3 } } });
    });

    it('an Ok reply succeeds and the alternative stays on standby', () => {
        const r = handleNodeResult(wf, start(wf).exec, ok('pay', '{"Ok":7}'), T0 + S);
        expect(r.state.status).toBe('Succeeded');
        expect(status(r.state, 'catch')?.status).toBe('Standby');
    });
});

describe('Orchestrator > execution: waiting for funding', () => {
    const wf = compile(def(call('a'), call('b', { dependsOn: after('a') })));
    const fresh = { id: 'ex-u', workflowId: 'wf-1', workflowVersion: 1, trigger: { kind: 'Manual' } as const, input: '{}', ranBy };

    it('creates an Underfunded execution that dispatches nothing, with its deadline from creation', () => {
        const r = createUnderfunded(wf, fresh, T0);
        expect(r.state.status).toBe('Underfunded');
        expect(r.effects).toEqual([]);
        expect(r.state.startedAt).toBeUndefined();
        expect(r.state.deadlineAt).toBe(T0 + 3_600n * S);
        expect(r.state.nodes.every((n) => n.status === 'Pending')).toBe(true);
    });

    it('starts it on release: the first node is dispatched and the start time is the release', () => {
        const waiting = createUnderfunded(wf, fresh, T0).state;
        const r = releaseUnderfunded(wf, waiting, T0 + 10n * S);
        if ('Err' in r) throw new Error(JSON.stringify(r.Err));
        expect(r.Ok.state.status).toBe('Running');
        expect(r.Ok.state.startedAt).toBe(T0 + 10n * S);
        expect(kinds(r.Ok.effects)).toEqual(['DispatchNode']);
        expect(status(r.Ok.state, 'a')?.status).toBe('Running');
    });

    it('releases nothing that no longer waits, and a waiting run can be cancelled, paused or time out', () => {
        const waiting = createUnderfunded(wf, fresh, T0).state;
        const cancelled = cancelExecution(wf, waiting, T0);
        if ('Err' in cancelled) throw new Error(JSON.stringify(cancelled.Err));
        expect(cancelled.Ok.state.status).toBe('Cancelled');
        expect(releaseUnderfunded(wf, cancelled.Ok.state, T0)).toEqual({ Err: { kind: 'IllegalExecutionTransition', from: 'Cancelled', to: 'Running' } });
        const paused = pauseExecution(wf, waiting, T0);
        expect('Ok' in paused && paused.Ok.state.status).toBe('Paused');
        expect(checkTimeouts(wf, waiting, waiting.deadlineAt).state.status).toBe('Failed');
    });
});
