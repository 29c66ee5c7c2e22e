/**
 * The instruction guard (docs/architecture.md, "Scale: cost model"): with GUARD_SIZE workflows
 * and waiting executions stored and as many live schedules, no DeFlow message — timer pass,
 * update, query, callback, upgrade — may use more than its GUARD_SHARE of its IC limit, and
 * the messages of MUST_STAY_FLAT may not grow from a tenth of that size to it. Filling runs
 * through the bench builds' `bulk_load` (bench/scale/canisters); the production modules must
 * not declare it. This is the slowest integration spec. In `npm test` it runs at the issue's
 * size, 1,000 then 10,000 records (7 min 42 s alone on an idle 2-core machine, 2026-12-03);
 * `DEFLOW_SCALE_GUARD_SIZE=300` runs a quick one while working on it.
 */
import { resolve } from 'node:path';

import { runScale } from '../../../bench/scale';
import { limitOf, type EntryKind } from '../../../bench/scale/meter';
import { BULK_LOAD_METHOD } from '../../../bench/scale/canisters/contract';
import { builtWasmPath } from '../../../cli/deploy';
import { PEER_ROLES } from '../../../shared/common/deployment';
import { declaredMethodsOf } from '../support/candid-methods';

/**
 * The largest share of its limit a message may use at the guard's size, chosen from the scale
 * bench's figures at 1,000 and 10,000 (docs/architecture.md, Scale): timer passes, updates,
 * callbacks and upgrades measure at most 3.5% of theirs, so 5%; a full listing page (20 items)
 * measures up to 9.4% of the 5B query limit, so 10% for queries, the target.
 */
export const GUARD_SHARE: Record<EntryKind, number> = { timer: 0.05, update: 0.05, callback: 0.05, upgrade: 0.05, query: 0.1, other: 0.05 };
const GUARD_SIZE = Number(process.env.DEFLOW_SCALE_GUARD_SIZE ?? 10_000);
/** The size the flat messages are first measured at: a tenth of the guard's. */
const SMALL_SIZE = Math.max(1, Math.floor(GUARD_SIZE / 10));

/**
 * Messages whose work depends only on the records they touch, never on how many are stored:
 * from a tenth of the guard's size to its size each may grow by at most {@link FLAT} (the
 * issue's "flat", ≤ 1.1). `notify_workflow_changed` is one: its former search over the
 * workflow index grew with every stored schedule (139M instructions at 1,000, 679M at 10,000)
 * and stayed far under its share of the limit, so only a ratio catches it.
 */
const FLAT = 1.1;
const MUST_STAY_FLAT = ['scheduler update notify_workflow_changed', ...PEER_ROLES.map((role) => `${role} upgrade pre_upgrade + post_upgrade`)];

jest.setTimeout(4 * 60 * 60_000);

describe('Scale > instruction guard', () => {
    it('bulk_load exists only in the bench builds, never in a production module', () => {
        for (const role of PEER_ROLES) expect(declaredMethodsOf(builtWasmPath(role))).not.toContain(BULK_LOAD_METHOD);
        for (const build of ['orchestrator_bench', 'executor_bench', 'scheduler_bench']) {
            expect(declaredMethodsOf(resolve(__dirname, '..', '..', '..', 'bench', 'scale', 'canisters', '.azle', build, `${build}.wasm`))).toContain(BULK_LOAD_METHOD);
        }
    });

    it(`no message uses more than its guard share of its limit with ${GUARD_SIZE} workflows, executions and schedules stored`, async () => {
        const { results } = await runScale([SMALL_SIZE, GUARD_SIZE], { sustained: false });
        const measured = results.get(GUARD_SIZE)!.instructions.filter((r) => r.kind !== 'other');
        // Every canister's timers, its updates, queries and callbacks (the monitor's are its
        // canister_status reads), and its upgrade were seen.
        for (const role of PEER_ROLES) expect(new Set(measured.filter((r) => r.role === role).map((r) => r.kind))).toEqual(new Set(['timer', 'update', 'query', 'upgrade', 'callback']));
        const over = measured.filter((r) => Number(r.instructions) > Number(limitOf(r.kind)) * GUARD_SHARE[r.kind]).map((r) => `${r.role} ${r.kind} ${r.name}: ${r.instructions} instructions`);
        expect(over).toEqual([]);
        // What must stay flat was measured at both sizes and grew by at most FLAT.
        const at = (size: number, message: string): number | undefined => {
            const found = results.get(size)!.instructions.find((r) => `${r.role} ${r.kind} ${r.name}` === message);
            return found === undefined ? undefined : Number(found.instructions);
        };
        const growth = MUST_STAY_FLAT.map((message) => ({ message, small: at(SMALL_SIZE, message), large: at(GUARD_SIZE, message) }));
        expect(growth.filter((g) => g.small === undefined || g.large === undefined).map((g) => g.message)).toEqual([]);
        const grew = growth.filter((g) => g.large! > g.small! * FLAT).map((g) => `${g.message}: ${g.small} → ${g.large} instructions (${(g.large! / g.small!).toFixed(2)}×)`);
        expect(grew).toEqual([]);
    });
});
