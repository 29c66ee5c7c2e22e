/**
 * Security > notification quota: Notify nodes reach the monitor's shared notification log
 * (its last 500 entries, which hold the audit trail of emergency changes) through the
 * orchestrator. Each owner may send `DEFAULT_OWNER_QUOTAS.notificationsPerHour` per clock
 * hour; past that a Notify node fails `QuotaExceeded` (its fallback applies), nothing reaches
 * the log, and the owner sees the count in `get_owner_quotas`. One owner's flood neither
 * pushes out another's entries nor eats their quota.
 */
import type { IDL } from '@dfinity/candid';
import type { Actor } from '@dfinity/pic';

import { DEFAULT_OWNER_QUOTAS, encodeWorkflowDefinition, orchestratorIdlFactory, type WorkflowDefinitionWire } from '../../../shared/workflow';
import { after, node } from '../../../shared/workflow/testing';
import { deflowActor } from '../support/deflow';
import { monitorActor, type MonitorService } from '../support/monitoring';
import { driveToEnd, nodeOf, okOf, statusOf, type OrchestratorService, useWorkflowEnv } from '../support/workflows';

jest.setTimeout(180_000);

const QUOTA = DEFAULT_OWNER_QUOTAS.notificationsPerHour;

/** A chain of `count` Notify nodes whose messages start with `tag`; each skips on failure. */
function notifyChain(tag: string, count: number): WorkflowDefinitionWire {
    const nodes = Array.from({ length: count }, (_, i) =>
        node(`n${i}`, {
            config: { kind: 'Notify', level: 'Critical', message: `${tag} ${i}` },
            dependsOn: i === 0 ? [] : after(`n${i - 1}`),
            recovery: { retry: { maxRetries: 0, initialDelayMs: 0, backoffFactor: 1, maxDelayMs: 0, jitter: false }, fallback: { kind: 'SkipNode' }, emergencyActions: [] }
        })
    );
    return encodeWorkflowDefinition({ name: tag, description: '', nodes });
}

describe('Security > notification quota', () => {
    const env = useWorkflowEnv();
    let asStranger: Actor<OrchestratorService>;
    let monitor: Actor<MonitorService>;

    const logged = async (tag: string): Promise<number> => okOf(await monitor.get_notifications([])).filter((n) => n.message.includes(`] ${tag} `)).length;

    async function run(actor: Actor<OrchestratorService>, def: WorkflowDefinitionWire) {
        const wf = okOf(await actor.create_workflow(def));
        const x = okOf(await actor.start_execution({ workflow_id: wf.id, input: [] }));
        await env.pic.tick(5);
        return okOf(await actor.get_execution({ execution_id: x.id }));
    }

    beforeAll(async () => {
        asStranger = deflowActor<OrchestratorService>(env.pic, env.deployment, 'orchestrator', orchestratorIdlFactory as unknown as IDL.InterfaceFactory, env.stranger);
        // The deployment's controller (env.pic-js's default sender) is an admin of the monitor.
        monitor = monitorActor(env.pic, env.deployment);
    });

    it("stops a stranger's flood at the quota: the rest fail QuotaExceeded, reach nothing, and are counted", async () => {
        const ownersEntry = await run(env.orchestrator, notifyChain('owner-marker', 1));
        expect(statusOf(ownersEntry)).toBe('Succeeded');

        const flood = await run(asStranger, notifyChain('flood', QUOTA + 5));
        const done = statusOf(flood) === 'Succeeded' ? flood : await driveToEnd(env, flood.id);
        expect(statusOf(done)).toBe('Succeeded');
        expect(Object.keys(nodeOf(done, `n${QUOTA - 1}`).status)).toEqual(['Succeeded']);
        const over = nodeOf(done, `n${QUOTA}`);
        expect(Object.keys(over.status)).toEqual(['Failed']);
        expect(over.error[0]?.kind).toEqual({ QuotaExceeded: null });
        expect(over.fallback_taken).toEqual([{ SkipNode: null }]);

        await env.pic.tick(5);
        expect(await logged('flood')).toBe(QUOTA);
        expect(okOf(await asStranger.get_owner_quotas())).toMatchObject({ limits: { notifications_per_hour: QUOTA }, usage: { notifications_this_hour: QUOTA, notifications_refused: 5n } });

        // A second flood the same hour sends nothing more.
        await run(asStranger, notifyChain('flood2', 3));
        await env.pic.tick(5);
        expect(await logged('flood2')).toBe(0);
        expect(await logged('owner-marker')).toBe(1);
    });

    it("leaves another owner's quota whole", async () => {
        expect(okOf(await env.orchestrator.get_owner_quotas()).usage.notifications_this_hour).toBe(1);
        const x = await run(env.orchestrator, notifyChain('owner-after', 2));
        expect(statusOf(x)).toBe('Succeeded');
        await env.pic.tick(5);
        expect(await logged('owner-after')).toBe(2);
    });

    it('refills at the next clock hour', async () => {
        await env.pic.advanceTime(60 * 60 * 1000);
        await env.pic.tick(2);
        expect(okOf(await asStranger.get_owner_quotas()).usage).toMatchObject({ notifications_this_hour: 0, notifications_refused: 5n + 3n });
        await run(asStranger, notifyChain('next-hour', 2));
        await env.pic.tick(5);
        expect(await logged('next-hour')).toBe(2);
    });
});
