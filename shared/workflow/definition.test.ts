import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { WorkflowDefinitionSchema, WorkflowDefinitionWire, WorkflowWire, decodeWorkflow, decodeWorkflowDefinition, encodeWorkflow, encodeWorkflowDefinition, type Workflow } from './definition';
import { ExecutionWire, decodeExecution, encodeExecution, type Execution } from './execution';
import { parseWith } from '../common/codec';
import { WorkflowErrorWire, type WorkflowError } from './errors';
import { WORKFLOW_LIMITS } from './limits';
import { after, liquidationWorkflow, node } from './testing';
import type { Codec } from '../common/codec';

function roundTrip<T>(wire: Codec<T>, value: T): T {
    const bytes = IDL.encode([wire.idl], [value]);
    return IDL.decode([wire.idl], bytes)[0] as unknown as T;
}

describe('Workflow contract > Candid round trips', () => {
    it('encodes and decodes a full definition through the IDL unchanged', () => {
        const def = liquidationWorkflow();
        expect(WorkflowDefinitionSchema.safeParse(def).success).toBe(true);
        const back = decodeWorkflowDefinition(roundTrip(WorkflowDefinitionWire, encodeWorkflowDefinition(def)));
        expect(back).toEqual(def);
    });

    it('round-trips every node kind, fallback and emergency action', () => {
        const def = liquidationWorkflow();
        def.nodes.push(
            node('wait', { config: { kind: 'Delay', durationMs: 1500 }, timeoutMs: 9000 }),
            node('child', {
                config: { kind: 'StartWorkflow', workflowId: 'wf-2', input: { kind: 'Const', json: '{"a":1}' } },
                recovery: {
                    retry: { maxRetries: 1, initialDelayMs: 10, backoffFactor: 1.5, maxDelayMs: 100, jitter: true },
                    fallback: { kind: 'NotifyAndContinue', level: 'Warning', message: 'child failed' },
                    emergencyActions: [{ kind: 'ExecuteEmergencyWorkflow', workflowId: 'wf-sos' }, { kind: 'EnableSafeMode' }, { kind: 'LiquidatePosition', args: [{ kind: 'Input', path: 'repay' }, { kind: 'Const', json: '{"position":"pos-1"}' }] }]
                }
            }),
            node('skip', { recovery: { retry: { maxRetries: 0, initialDelayMs: 0, backoffFactor: 1, maxDelayMs: 0, jitter: false }, fallback: { kind: 'SkipNode' }, emergencyActions: [] } }),
            node('dflt', {
                config: { kind: 'Condition', mode: 'Any', clauses: [{ left: { kind: 'Input', path: 'x' }, op: 'Exists', right: undefined }] },
                recovery: { retry: { maxRetries: 0, initialDelayMs: 0, backoffFactor: 1, maxDelayMs: 0, jitter: false }, fallback: { kind: 'UseDefaultValue', value: 'false' }, emergencyActions: [] }
            })
        );
        expect(WorkflowDefinitionSchema.safeParse(def).success).toBe(true);
        expect(decodeWorkflowDefinition(roundTrip(WorkflowDefinitionWire, encodeWorkflowDefinition(def)))).toEqual(def);
    });

    it('round-trips a stored workflow with owner principal and times', () => {
        const wf: Workflow = {
            id: 'wf-1',
            owner: Principal.fromUint8Array(new Uint8Array([1, 2, 3])).toText(),
            version: 3,
            status: 'Paused',
            definition: liquidationWorkflow(),
            createdAt: 1_700_000_000_000_000_000n,
            updatedAt: 1_700_000_001_000_000_000n
        };
        expect(decodeWorkflow(roundTrip(WorkflowWire, encodeWorkflow(wf)))).toEqual(wf);
    });

    it('round-trips failure rules, retry rules and error operands', () => {
        const def = liquidationWorkflow();
        const retry = { maxRetries: 2, initialDelayMs: 10, backoffFactor: 2, maxDelayMs: 100, jitter: false };
        const first = def.nodes[0];
        if (first.config.kind !== 'Call') throw new Error('fixture: first node is a call');
        def.nodes[0] = {
            ...first,
            config: { ...first.config, reply: { kind: 'Candid', types: '(variant { Ok: nat; Err: text; Busy })' }, failure: { kind: 'Cases', cases: ['Err', 'Busy'] } },
            recovery: {
                ...first.recovery,
                retryOn: [
                    { errors: [{ kind: 'ErrCase', case: 'Busy' }, { kind: 'RejectCode', code: 2 }], retry },
                    { errors: [{ kind: 'Kind', errorKind: 'TimedOut' }], retry }
                ]
            }
        };
        def.nodes.push(
            node('swap', {
                config: {
                    ...first.config,
                    reply: { kind: 'Candid', types: '(record { slippage: nat })' },
                    failure: { kind: 'Condition', mode: 'All', clauses: [{ left: { kind: 'Node', nodeId: 'swap', path: 'slippage' }, op: 'Gt', right: { kind: 'Error', nodeId: first.id, path: 'value' } }] }
                }
            }),
            node('never', { config: { ...first.config, failure: { kind: 'Never' } } })
        );
        expect(WorkflowDefinitionSchema.safeParse(def).success).toBe(true);
        expect(decodeWorkflowDefinition(roundTrip(WorkflowDefinitionWire, encodeWorkflowDefinition(def)))).toEqual(def);
    });

    it('round-trips an execution with node states', () => {
        const x: Execution = {
            id: 'ex-1',
            workflowId: 'wf-1',
            workflowVersion: 2,
            trigger: { kind: 'Schedule', scheduleId: 's-1', dueAt: 5n },
            status: 'Failed',
            input: '{"threshold_e8s": 100}',
            nodes: [
                {
                    nodeId: 'price',
                    status: 'Failed',
                    attempts: [{ attempt: 1, startedAt: 1n, finishedAt: 2n, error: { kind: 'Rejected', message: 'boom', rejectCode: 5 } }],
                    startedAt: 1n,
                    finishedAt: 2n,
                    error: { kind: 'Rejected', message: 'boom', rejectCode: 5 },
                    fallbackTaken: 'UseAlternativeNode',
                    output: undefined,
                    nextAttemptAt: undefined,
                    alternativeFor: undefined
                },
                { nodeId: 'backup_price', status: 'Succeeded', attempts: [], output: '{"price_e8s":7}', alternativeFor: 'price', startedAt: undefined, finishedAt: undefined, error: undefined, fallbackTaken: undefined, nextAttemptAt: 9n }
            ],
            createdAt: 0n,
            startedAt: 1n,
            finishedAt: 3n,
            deadlineAt: 100n,
            failure: { kind: 'NodeFailed', nodeId: 'repay', message: 'no funds' },
            ranBy: { packageVersion: '0.1.0', buildId: 'abc', canisterVersion: 4n }
        };
        expect(decodeExecution(roundTrip(ExecutionWire, encodeExecution(x)))).toEqual(x);
        const replyErr = { kind: 'ReplyErr', message: 'reply case Err', case: 'Err', detail: 'InsufficientFunds', value: '{"InsufficientFunds":null}' } as const;
        const withReplyErr: Execution = { ...x, nodes: [{ ...x.nodes[0], error: replyErr }, x.nodes[1]] };
        expect(decodeExecution(roundTrip(ExecutionWire, encodeExecution(withReplyErr)))).toEqual(withReplyErr);
        for (const trigger of [{ kind: 'Manual' }, { kind: 'Workflow', executionId: 'ex-0' }, { kind: 'Dapp', canister: 'aaaaa-aa' }] as const) {
            const y = { ...x, trigger, failure: { kind: 'TimedOut', deadlineAt: 100n } } as const;
            expect(decodeExecution(roundTrip(ExecutionWire, encodeExecution(y)))).toEqual(y);
        }
    });

    it('round-trips the workflow-specific error variants beside the common ones', () => {
        const errors: WorkflowError[] = [
            { CycleDetected: { path: ['a', 'b', 'a'] } },
            { UnknownNode: { node_id: 'x', referenced_by: 'y' } },
            { NotFound: { entity: 'workflow', id: 'wf-9' } },
            { LimitExceeded: { limit: 'nodes', max: 100n } }
        ];
        for (const e of errors) expect(roundTrip(WorkflowErrorWire, e)).toEqual(e);
    });
});

describe('Workflow contract > zod rejects malformed definitions with the field path', () => {
    const base = liquidationWorkflow;
    const cases: [string, (d: ReturnType<typeof base>) => unknown, string][] = [
        ['empty name', (d) => ({ ...d, name: '  ' }), 'name'],
        ['name too long', (d) => ({ ...d, name: 'x'.repeat(WORKFLOW_LIMITS.maxNameChars + 1) }), 'name'],
        ['description too long', (d) => ({ ...d, description: 'x'.repeat(WORKFLOW_LIMITS.maxDescriptionChars + 1) }), 'description'],
        ['no nodes', (d) => ({ ...d, nodes: [] }), 'nodes'],
        ['too many nodes', (d) => ({ ...d, nodes: Array.from({ length: WORKFLOW_LIMITS.maxNodes + 1 }, (_, i) => node(`n${i}`)) }), 'nodes'],
        ['bad node id', (d) => ({ ...d, nodes: [node('has space')] }), 'nodes.0.id'],
        ['bad principal', (d) => ({ ...d, nodes: [{ ...d.nodes[0], config: { ...d.nodes[0].config, canister: 'not a principal' } }] }), 'nodes.0.config.canister'],
        ['empty method', (d) => ({ ...d, nodes: [{ ...d.nodes[0], config: { ...d.nodes[0].config, method: '' } }] }), 'nodes.0.config.method'],
        ['oversize raw args', (d) => ({ ...d, nodes: [{ ...d.nodes[0], config: { ...d.nodes[0].config, args: { kind: 'Raw', bytes: new Uint8Array(WORKFLOW_LIMITS.maxPayloadBytes + 1) } } }] }), 'nodes.0.config.args.bytes'],
        ['invalid Candid reply type', (d) => ({ ...d, nodes: [{ ...d.nodes[0], config: { ...d.nodes[0].config, reply: { kind: 'Candid', types: '(record { x: natt })' } } }] }), 'nodes.0.config.reply.types'],
        ['too many retries', (d) => ({ ...d, nodes: [{ ...d.nodes[0], recovery: { ...d.nodes[0].recovery, retry: { ...d.nodes[0].recovery.retry, maxRetries: 11 } } }] }), 'nodes.0.recovery.retry.maxRetries'],
        ['max delay below initial', (d) => ({ ...d, nodes: [{ ...d.nodes[0], recovery: { ...d.nodes[0].recovery, retry: { ...d.nodes[0].recovery.retry, maxDelayMs: 1 } } }] }), 'nodes.0.recovery.retry.maxDelayMs'],
        ['backoff factor below 1', (d) => ({ ...d, nodes: [{ ...d.nodes[0], recovery: { ...d.nodes[0].recovery, retry: { ...d.nodes[0].recovery.retry, backoffFactor: 0.5 } } }] }), 'nodes.0.recovery.retry.backoffFactor'],
        ['default value not JSON', (d) => ({ ...d, nodes: [{ ...d.nodes[0], recovery: { ...d.nodes[0].recovery, fallback: { kind: 'UseDefaultValue', value: '{oops' } } }] }), 'nodes.0.recovery.fallback.value'],
        ['oversize JSON constant', (d) => ({ ...d, nodes: [node('t', { config: { kind: 'Transform', fields: [{ key: 'k', value: { kind: 'Const', json: JSON.stringify('x'.repeat(WORKFLOW_LIMITS.maxPayloadBytes)) } }] } })] }), 'nodes.0.config.fields.0.value.json'],
        ['Exists with right operand', (d) => ({ ...d, nodes: [node('c', { config: { kind: 'Condition', mode: 'All', clauses: [{ left: { kind: 'Input', path: 'a' }, op: 'Exists', right: { kind: 'Const', json: '1' } }] } })] }), 'nodes.0.config.clauses.0.right'],
        ['comparison without right operand', (d) => ({ ...d, nodes: [node('c', { config: { kind: 'Condition', mode: 'All', clauses: [{ left: { kind: 'Input', path: 'a' }, op: 'Lt' }] } })] }), 'nodes.0.config.clauses.0.right'],
        ['bad JSON path', (d) => ({ ...d, nodes: [node('c', { config: { kind: 'Condition', mode: 'All', clauses: [{ left: { kind: 'Input', path: 'a..b' }, op: 'Exists' }] } })] }), 'nodes.0.config.clauses.0.left.path'],
        ['unknown dependency kind', (d) => ({ ...d, nodes: [node('a', { dependsOn: [{ nodeId: 'b', when: 'Sometimes' as 'Always' }] })] }), 'nodes.0.dependsOn.0.when'],
        ['delay too long', (d) => ({ ...d, nodes: [node('a', { config: { kind: 'Delay', durationMs: WORKFLOW_LIMITS.maxDelayNodeMs + 1 } })] }), 'nodes.0.config.durationMs'],
        ['too many dependencies', (d) => ({ ...d, nodes: [node('a', { dependsOn: after(...Array.from({ length: WORKFLOW_LIMITS.maxDependencies + 1 }, (_, i) => `n${i}`)) })] }), 'nodes.0.dependsOn'],
        ['failure case not a case of the reply', (d) => ({ ...d, nodes: [{ ...d.nodes[0], config: { ...d.nodes[0].config, reply: { kind: 'Candid', types: '(variant { Ok: nat; Err: text })' }, failure: { kind: 'Cases', cases: ['Nope'] } } }] }), 'nodes.0.config.failure.cases'],
        ['failure cases on a reply that is not a variant', (d) => ({ ...d, nodes: [{ ...d.nodes[0], config: { ...d.nodes[0].config, reply: { kind: 'Candid', types: '(nat)' }, failure: { kind: 'Cases', cases: ['Err'] } } }] }), 'nodes.0.config.failure.cases'],
        ['failure condition on a raw reply', (d) => ({ ...d, nodes: [{ ...d.nodes[0], config: { ...d.nodes[0].config, reply: { kind: 'Raw' }, failure: { kind: 'Condition', mode: 'All', clauses: [{ left: { kind: 'Node', nodeId: d.nodes[0].id, path: 'x' }, op: 'Exists' }] } } }] }), 'nodes.0.config.failure'],
        ['retry rule with an unknown error kind', (d) => ({ ...d, nodes: [{ ...d.nodes[0], recovery: { ...d.nodes[0].recovery, retryOn: [{ errors: [{ kind: 'Kind', errorKind: 'Oops' }], retry: d.nodes[0].recovery.retry }] } }] }), 'nodes.0.recovery.retryOn.0.errors.0.errorKind'],
        ['cycles over the cap', (d) => ({ ...d, nodes: [{ ...d.nodes[0], config: { ...d.nodes[0].config, cycles: WORKFLOW_LIMITS.maxCallCycles + 1n } }] }), 'nodes.0.config.cycles']
    ];

    it.each(cases)('%s → InvalidInput at %s', (_label, mutate, field) => {
        const r = WorkflowDefinitionSchema.safeParse(mutate(base()));
        expect(r.success).toBe(false);
        if (r.success) return;
        expect(r.error.issues.map((i) => i.path.join('.'))).toContain(field);
        // The one validator reports the deepest issue: the field the caller must fix.
        expect(parseWith(WorkflowDefinitionSchema, mutate(base()))).toEqual({ Err: { InvalidInput: { field, message: expect.any(String) } } });
    });

    it('decoding wire input never throws, even for out-of-range numbers; the schema rejects them', () => {
        const wire = encodeWorkflowDefinition(base());
        wire.timeout_ms = [2n ** 63n];
        const decoded = decodeWorkflowDefinition(wire);
        const r = WorkflowDefinitionSchema.safeParse(decoded);
        expect(r.success).toBe(false);
        if (!r.success) expect(r.error.issues[0].path).toEqual(['timeoutMs']);
    });
});
