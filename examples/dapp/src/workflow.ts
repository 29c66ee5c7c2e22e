/**
 * The workflow the example dapp runs for its users: check a price given as input against a
 * threshold, notify on either branch, wait a moment, summarise. It needs no other canister,
 * so it runs on any network DeFlow is deployed on.
 */
import type { WorkflowDefinition } from '../../../shared/workflow/definition';
import type { WorkflowNode } from '../../../shared/workflow/node';
import { DEFAULT_RECOVERY } from '../../../shared/workflow/recovery';

/** The definition, in the shared domain form. */
export function protectionWorkflow(): WorkflowDefinition {
    const base: Pick<WorkflowNode, 'dependsOn' | 'join' | 'recovery'> = { dependsOn: [], join: 'All', recovery: DEFAULT_RECOVERY };
    return {
        name: 'Dapp price guard',
        description: 'Created by the example dapp through an inter-canister call',
        nodes: [
            { ...base, id: 'below', config: { kind: 'Condition', mode: 'All', clauses: [{ left: { kind: 'Input', path: 'price_e8s' }, op: 'Lt', right: { kind: 'Input', path: 'threshold_e8s' } }] } },
            { ...base, id: 'alert', config: { kind: 'Notify', level: 'Warning', message: 'price below threshold' }, dependsOn: [{ nodeId: 'below', when: 'IfTrue' }] },
            { ...base, id: 'fine', config: { kind: 'Notify', level: 'Info', message: 'price fine' }, dependsOn: [{ nodeId: 'below', when: 'IfFalse' }] },
            { ...base, id: 'settle', config: { kind: 'Delay', durationMs: 500 }, dependsOn: [{ nodeId: 'alert', when: 'Always' }, { nodeId: 'fine', when: 'Always' }], join: 'Any' },
            {
                ...base,
                id: 'summary',
                config: { kind: 'Transform', fields: [{ key: 'below', value: { kind: 'Node', nodeId: 'below', path: '' } }, { key: 'threshold_e8s', value: { kind: 'Input', path: 'threshold_e8s' } }] },
                dependsOn: [{ nodeId: 'settle', when: 'Always' }]
            }
        ]
    };
}
