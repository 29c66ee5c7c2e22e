import type { VersionInfo } from '../shared/common/version';
import { checkAgentsKeptAndUpgraded, checkAgentUpgrades, checkCallsDuringUpgrade, checkCompletion, checkNoDuplicates, checkNothingLost, checkSchedules, checkVersions, dueTimesIn, tally, type Finding } from './checks';
import type { ExecutionSnap, FiringSnap, ScheduleSnap, Snapshot } from './snapshot';

const S = 1_000_000_000n;
const version = (canister: string, canister_version: bigint, schema_version = 1): VersionInfo => ({ canister, package_version: '0.1.0', schema_version, canister_version, build_id: 'dev' });

function snapshot(over: Partial<Snapshot> = {}): Snapshot {
    return {
        at: 1_000n * S,
        executions: {},
        schedules: {},
        open_alerts: [],
        notifications: [],
        effects: { repay_count: 0n, total_repaid: 0n, oracle_calls: 0n, backup_oracle_calls: 0n },
        versions: { orchestrator: version('orchestrator', 5n), scheduler: version('scheduler', 5n), executor: version('executor', 5n), monitor: version('monitor', 5n) },
        agents: [],
        ...over
    };
}

function execution(id: string, status: string, repays: (boolean | undefined)[] = [], scheduled?: ExecutionSnap['scheduled']): ExecutionSnap {
    return {
        id,
        workflow_id: 'wf-1',
        status,
        scheduled,
        created_at: 1n,
        finished_at: undefined,
        nodes: [{ node_id: 'repay', status, attempts: repays.map((succeeded, i) => ({ attempt: i + 1, started_at: BigInt(i + 1) * S, finished: succeeded !== undefined, succeeded })) }]
    };
}

function firing(due: bigint, outcome: FiringSnap['outcome'], over: Partial<FiringSnap> = {}): FiringSnap {
    return { due_at: due, started_at: due, lateness_ns: 0n, outcome, execution_id: undefined, skipped: undefined, ...over };
}

/** Every 30 s from t = 30 s (created at 0). */
function interval(firings: FiringSnap[], over: Partial<ScheduleSnap> = {}): ScheduleSnap {
    return {
        id: 'sch-1',
        kind: { Interval: { every_seconds: 30n, start_at: [], end_at: [] } },
        missed_run: { RunOnce: null },
        created_at: 0n,
        paused: false,
        next_due_at: undefined,
        last_due_at: firings.reduce<bigint | undefined>((m, f) => (m === undefined || f.due_at > m ? f.due_at : m), undefined),
        last_fired_at: undefined,
        schema_version: 1,
        firings,
        ...over
    };
}

const kinds = (findings: Finding[]): string[] => findings.map((f) => `${f.kind} ${f.subject}`);

describe('Drill > checks', () => {
    describe('nothing lost', () => {
        it('passes when everything recorded before is still there', () => {
            const x = execution('ex-1', 'Succeeded', [true]);
            expect(checkNothingLost(snapshot({ executions: { 'ex-1': x }, notifications: [1n] }), snapshot({ executions: { 'ex-1': x }, notifications: [1n, 2n] }))).toEqual([]);
        });

        it('finds a missing execution, attempt, schedule, firing and notification', () => {
            const before = snapshot({
                executions: { 'ex-1': execution('ex-1', 'Running', [false]), 'ex-2': execution('ex-2', 'Running') },
                schedules: { 'sch-1': interval([firing(30n * S, 'Started')]) },
                notifications: [7n]
            });
            const after = snapshot({ executions: { 'ex-1': execution('ex-1', 'Succeeded') }, schedules: { 'sch-1': interval([]) } });
            expect(kinds(checkNothingLost(before, after))).toEqual(['lost ex-1/repay#1', 'lost ex-2', `lost sch-1@${30n * S}`, 'lost notification 7']);
        });

        it('accepts a planned attempt whose start moved, and firings rotated out of a full ring', () => {
            const planned = execution('ex-1', 'Running', [undefined]);
            const ran = execution('ex-1', 'Succeeded', [true]);
            ran.nodes[0]!.attempts[0]!.started_at = 99n * S;
            const ring = Array.from({ length: 50 }, (_, i) => firing(BigInt(i + 2) * 30n * S, 'Started'));
            const before = snapshot({ executions: { 'ex-1': planned }, schedules: { 'sch-1': interval([firing(30n * S, 'Started')]) } });
            expect(checkNothingLost(before, snapshot({ executions: { 'ex-1': ran }, schedules: { 'sch-1': interval(ring) } }))).toEqual([]);
        });

        it('flags a finished execution whose outcome changed', () => {
            const before = snapshot({ executions: { 'ex-1': execution('ex-1', 'Failed') } });
            expect(kinds(checkNothingLost(before, snapshot({ executions: { 'ex-1': execution('ex-1', 'Succeeded') } })))).toEqual(['violation ex-1']);
        });
    });

    describe('no duplicates', () => {
        it('matches the lending counter with the succeeded repay attempts', () => {
            const after = snapshot({ executions: { 'ex-1': execution('ex-1', 'Succeeded', [false, true]) }, effects: { repay_count: 1n, total_repaid: 5n, oracle_calls: 0n, backup_oracle_calls: 0n } });
            expect(checkNoDuplicates(after)).toEqual([]);
        });

        it('finds a repay counted twice and a scheduled start key used twice', () => {
            const key = { schedule_id: 'sch-1', due_at: 30n * S };
            const after = snapshot({
                executions: { 'ex-1': execution('ex-1', 'Succeeded', [true], key), 'ex-2': execution('ex-2', 'Succeeded', [], key) },
                effects: { repay_count: 2n, total_repaid: 10n, oracle_calls: 0n, backup_oracle_calls: 0n }
            });
            expect(kinds(checkNoDuplicates(after))).toEqual(['duplicated lending_position.repay', `duplicated sch-1:${30n * S}`]);
        });

        it('flags a repay recorded as succeeded that the target never counted', () => {
            expect(kinds(checkNoDuplicates(snapshot({ executions: { 'ex-1': execution('ex-1', 'Succeeded', [true]) } })))).toEqual(['violation lending_position.repay']);
        });
    });

    describe('missed-run policies', () => {
        it('enumerates interval due times', () => {
            expect(dueTimesIn(interval([]), 0n, 100n * S)).toEqual([30n * S, 60n * S, 90n * S]);
        });

        it('accepts RunOnce: one late start standing for the skipped due times', () => {
            const s = interval([firing(30n * S, 'Skipped', { skipped: { reason: 'MissedRunPolicy', runs: 2n } }), firing(90n * S, 'Started', { execution_id: 'ex-9', started_at: 150n * S, lateness_ns: 60n * S + 1n })]);
            const after = snapshot({ schedules: { 'sch-1': s }, executions: { 'ex-9': execution('ex-9', 'Succeeded', [], { schedule_id: 'sch-1', due_at: 90n * S }) } });
            expect(kinds(checkSchedules(snapshot(), after))).toEqual([`late sch-1@${90n * S}`]);
        });

        it('finds a due time never handled, a start still pending and a Skip policy starting late', () => {
            const s = interval([firing(30n * S, 'Pending'), firing(90n * S, 'Started', { execution_id: 'ex-9', started_at: 200n * S, lateness_ns: 110n * S })], { missed_run: { Skip: null } });
            const after = snapshot({ schedules: { 'sch-1': s }, executions: { 'ex-9': execution('ex-9', 'Succeeded', [], { schedule_id: 'sch-1', due_at: 90n * S }) } });
            expect(kinds(checkSchedules(snapshot(), after))).toEqual([`lost sch-1@${60n * S}`, `violation sch-1@${30n * S}`, `late sch-1@${90n * S}`, 'violation sch-1']);
        });

        it('finds a start whose execution is missing', () => {
            const after = snapshot({ schedules: { 'sch-1': interval([firing(30n * S, 'Started', { execution_id: 'ex-404' })]) } });
            expect(kinds(checkSchedules(snapshot(), after))).toEqual([`lost sch-1@${30n * S}`]);
        });
    });

    it('requires every execution to be final at the end', () => {
        expect(kinds(checkCompletion(snapshot({ executions: { a: execution('a', 'Succeeded'), b: execution('b', 'Running') } })))).toEqual(['violation b']);
    });

    it('requires calls to the other canisters during the upgrade to succeed', () => {
        expect(kinds(checkCallsDuringUpgrade([{ target: 'monitor', method: 'get_system_health', ok: false, detail: 'IC0508' }, { target: 'executor', method: 'get_version', ok: true, detail: '' }]))).toEqual(['violation monitor.get_system_health']);
    });

    describe('versions', () => {
        it('requires the upgraded canister to show the new code and the others to keep theirs', () => {
            const after = snapshot();
            after.versions.scheduler = version('scheduler', 9n, 2);
            expect(checkVersions(snapshot(), after, ['scheduler'], { scheduler: { schema_version: 2 } })).toEqual([]);
            expect(kinds(checkVersions(snapshot(), after, ['scheduler'], { scheduler: { schema_version: 3 } }))).toEqual(['violation scheduler']);
            expect(kinds(checkVersions(snapshot(), after, ['executor']))).toEqual(['violation scheduler', 'violation executor']);
        });
    });

    it('tallies findings by kind', () => {
        expect(tally([{ kind: 'late', subject: 'a', detail: '' }, { kind: 'lost', subject: 'b', detail: '' }])).toEqual({ lost: 1, duplicated: 0, violation: 0, late: 1 });
    });

    it('fails a drill whose agent upgrade step failed or left an agent behind', () => {
        const kinds = (fs: Finding[]): string[] => fs.map((f) => `${f.kind} ${f.subject}`);
        expect(checkAgentUpgrades([{ upgraded: 2, failed: [] }])).toEqual([]);
        expect(kinds(checkAgentUpgrades([{ upgraded: 1, failed: [{ owner: 'aaaaa-aa', message: 'install refused' }] }]))).toEqual(['violation agent of aaaaa-aa']);
        expect(kinds(checkAgentUpgrades([{ error: 'Unauthorized' }]))).toEqual(['violation agents']);
    });

    it("requires every owner's agent, on either subnet, to stay the owner's and to be upgraded by every upgrade_agents pass", () => {
        const kinds = (fs: Finding[]): string[] => fs.map((f) => `${f.kind} ${f.subject}`);
        const agent = (owner: string, subnet: string): Snapshot['agents'][number] => ({ owner, agent: `agent-${owner}`, subnet });
        const both = snapshot({ agents: [agent('o1', 'subnet-a'), agent('o2', 'subnet-b')] });
        expect(checkAgentsKeptAndUpgraded(both, both, [{ upgraded: 2, failed: [] }])).toEqual([]);
        expect(checkAgentsKeptAndUpgraded(both, both, [{ upgraded: 1, failed: [{ owner: 'o2', message: 'Stop failed' }] }])).toEqual([]);
        expect(kinds(checkAgentsKeptAndUpgraded(both, both, [{ upgraded: 2, failed: [] }, { upgraded: 1, failed: [] }]))).toEqual(['violation agents']);
        expect(kinds(checkAgentsKeptAndUpgraded(both, snapshot({ agents: [agent('o1', 'subnet-a')] }), []))).toEqual(['lost agent of o2']);
    });
});
