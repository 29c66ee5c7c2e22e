import type { WorkflowDefinition } from './definition';
import type { WorkflowNode } from './node';
import { DEFAULT_RECOVERY, type RecoveryPolicy } from './recovery';

/**
 * Example definitions for tests (unit and integration). Pure data, no test framework import.
 */
export const ORACLE = 'rrkah-fqaaa-aaaaa-aaaaq-cai';
export const BACKUP_ORACLE = 'ryjl3-tyaaa-aaaaa-aaaba-cai';
export const LENDING = 'r7inp-6aaaa-aaaaa-aaabq-cai';

/** A node with no dependencies, default join and recovery; override what a case needs. */
export function node(id: string, over: Partial<WorkflowNode> = {}): WorkflowNode {
    return { id, config: { kind: 'Delay', durationMs: 0 }, dependsOn: [], join: 'All', recovery: DEFAULT_RECOVERY, ...over };
}

/** `dependsOn` shorthand: `after('a', 'b')`, `after(['c', 'IfTrue'])`. */
export function after(...deps: (string | [string, 'Always' | 'IfTrue' | 'IfFalse'])[]): WorkflowNode['dependsOn'] {
    return deps.map((d) => (typeof d === 'string' ? { nodeId: d, when: 'Always' } : { nodeId: d[0], when: d[1] }));
}

const retrying: RecoveryPolicy = {
    retry: { maxRetries: 2, initialDelayMs: 1000, backoffFactor: 2, maxDelayMs: 10_000, jitter: false },
    fallback: { kind: 'UseAlternativeNode', nodeId: 'backup_price' },
    emergencyActions: []
};

/**
 * Liquidation protection: read the price (backup oracle if the main one keeps failing),
 * repay when it is below the threshold given as execution input, else notify; then join.
 */
export function liquidationWorkflow(): WorkflowDefinition {
    const priceReply = { kind: 'Candid', types: '(record { price_e8s: nat64 })' } as const;
    return {
        name: 'Liquidation protection',
        description: 'Repay when the collateral price falls below a threshold',
        timeoutMs: 60 * 60 * 1000,
        nodes: [
            node('price', {
                config: { kind: 'Call', canister: ORACLE, method: 'get_price', args: { kind: 'Raw', bytes: new Uint8Array([0x44, 0x49, 0x44, 0x4c, 0, 0]) }, cycles: 0n, reply: priceReply },
                timeoutMs: 30_000,
                recovery: retrying
            }),
            node('backup_price', {
                config: { kind: 'Call', canister: BACKUP_ORACLE, method: 'get_price', args: { kind: 'Raw', bytes: new Uint8Array([0x44, 0x49, 0x44, 0x4c, 0, 0]) }, cycles: 0n, reply: priceReply }
            }),
            node('check', {
                config: {
                    kind: 'Condition',
                    mode: 'All',
                    clauses: [{ left: { kind: 'Node', nodeId: 'price', path: 'price_e8s' }, op: 'Lt', right: { kind: 'Input', path: 'threshold_e8s' } }]
                },
                dependsOn: after('price')
            }),
            node('repay', {
                config: {
                    kind: 'Call',
                    canister: LENDING,
                    method: 'repay',
                    args: { kind: 'Template', types: '(record { amount: nat; position: text })', values: [{ kind: 'Input', path: 'repay' }] },
                    cycles: 0n,
                    reply: { kind: 'Candid', types: '(variant { Ok: nat; Err: text })' }
                },
                dependsOn: after(['check', 'IfTrue']),
                recovery: {
                    retry: { maxRetries: 3, initialDelayMs: 500, backoffFactor: 2, maxDelayMs: 5000, jitter: true },
                    fallback: { kind: 'StopExecution' },
                    emergencyActions: [{ kind: 'SendNotification', level: 'Critical', message: 'repay failed' }, { kind: 'PauseAllWorkflows' }]
                }
            }),
            node('all_good', { config: { kind: 'Notify', level: 'Info', message: 'price above threshold' }, dependsOn: after(['check', 'IfFalse']) }),
            node('summary', {
                config: { kind: 'Transform', fields: [{ key: 'price', value: { kind: 'Node', nodeId: 'price', path: 'price_e8s' } }, { key: 'repaid', value: { kind: 'Node', nodeId: 'repay', path: '' } }] },
                dependsOn: after('repay', 'all_good'),
                join: 'Any'
            })
        ]
    };
}
