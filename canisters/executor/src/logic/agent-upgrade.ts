/**
 * Upgrading agents in bounded batches, and telling a call an agent never ran from one it may
 * have run. No Azle imports: the adapter (agents.ts) hands in the management calls.
 */
import { AGENT_UPGRADE_MAX_BATCH, type AgentUpgradeStep } from '../../../../shared/agent/executor-agent-api';
import { apiError, type ApiError } from '../../../../shared/common/errors';
import { err, ok, type Result } from '../../../../shared/common/result';

/** CanisterError: the reject code of a request the IC refused to deliver to a stopping or stopped canister (IC0508, IC0509). */
const CANISTER_ERROR = 5;

/**
 * The agents one `upgrade_agents` call examines: `requested`, at most
 * {@link AGENT_UPGRADE_MAX_BATCH} (that many when none is named); 0 is InvalidInput.
 *
 * @example
 * agentUpgradeBatch(1000) // { Ok: AGENT_UPGRADE_MAX_BATCH }
 */
export function agentUpgradeBatch(requested: number | undefined): Result<number, ApiError> {
    if (requested === 0) return err(apiError.invalidInput('limit', 'must be at least 1'));
    return ok(Math.min(requested ?? AGENT_UPGRADE_MAX_BATCH, AGENT_UPGRADE_MAX_BATCH));
}

/**
 * The position of the first key after `cursor` in a sorted store of `len` keys read by
 * position (`keyAt`), found in O(log len) reads; 0 without a cursor. A cursor needs not be a
 * stored key, so owners added between two batches are neither skipped nor visited twice.
 */
export function firstIndexAfter(len: number, keyAt: (index: number) => string, cursor: string | undefined): number {
    if (cursor === undefined) return 0;
    let low = 0;
    let high = len;
    while (low < high) {
        const mid = Math.floor((low + high) / 2);
        if (keyAt(mid) <= cursor) low = mid + 1;
        else high = mid;
    }
    return low;
}

/**
 * Whether a reject of a call to `agent` proves the call never ran there: the IC refused to
 * deliver it because the agent was stopping or stopped (reject code 5 with the replica's bare
 * text, no "Error from Canister" prefix, which only an execution of the agent produces). Any
 * other reject (the agent trapped, ran out of cycles, ...) may come after the agent called its
 * target, so it is the attempt's outcome, never a reason to hand the call over again.
 *
 * @example
 * isRefusedUnrun('aaaaa-aa', 5, 'Canister aaaaa-aa is stopping') // true
 */
export function isRefusedUnrun(agent: string, code: number, message: string): boolean {
    return code === CANISTER_ERROR && (message === `Canister ${agent} is stopped` || message === `Canister ${agent} is stopping`);
}

/** One management step of an agent's upgrade: its error message, or undefined when it succeeded. */
export type UpgradeStepCall = () => Promise<string | undefined>;

/** How one agent's upgrade ended: upgraded, or the step that failed and whether the agent runs again. */
export type AgentUpgradeResult = { upgraded: true } | { upgraded: false; step: AgentUpgradeStep; message: string; running: boolean };

/**
 * Upgrades one agent: stop, install, start. After a failed stop or install the agent is
 * started again all the same (a failed stop may leave it stopping, a failed install leaves it
 * stopped), so it keeps serving its old module; whether that start succeeded is reported.
 */
export async function upgradeInSteps(steps: { stop: UpgradeStepCall; install: UpgradeStepCall; start: UpgradeStepCall }): Promise<AgentUpgradeResult> {
    const stopFailed = await steps.stop();
    const installFailed = stopFailed === undefined ? await steps.install() : undefined;
    const startFailed = await steps.start();
    if (stopFailed !== undefined) return { upgraded: false, step: { Stop: null }, message: stopFailed, running: startFailed === undefined };
    if (installFailed !== undefined) return { upgraded: false, step: { Install: null }, message: installFailed, running: startFailed === undefined };
    if (startFailed !== undefined) return { upgraded: false, step: { Start: null }, message: startFailed, running: false };
    return { upgraded: true };
}
