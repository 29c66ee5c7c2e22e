/**
 * Funding of an owner's agent as the orchestrator tracks it: the balance last read from the
 * agent, whether new runs of the owner wait (`Underfunded`), and the executions waiting.
 * Pure accounting here (unit-tested beside it); the orchestrator stores one record per owner
 * (canisters/orchestrator/src/funding.ts). Why the orchestrator reads balances instead of
 * agents reporting them: no DeFlow endpoint accepts anything from an agent (docs/security.md).
 */
import { c, type Infer } from '../common/codec';
import { AGENT_MIN_BALANCE } from './api';

/**
 * New runs of an owner wait (`Underfunded`) while their agent holds less than this: twice
 * what the agent keeps for itself (`AGENT_MIN_BALANCE`), so runs already going can still pay
 * their calls' fees after new ones stop.
 */
export const AGENT_RUN_MIN_BALANCE = 2n * AGENT_MIN_BALANCE;

/**
 * Cycles a new agent is created with, from the executor's balance: the creation fee of a
 * 13-node application subnet (500B, IC docs "Cycles costs") plus 1T for its first calls.
 */
export const AGENT_CREATION_CYCLES = 1_500_000_000_000n;

/** Executions of one owner that may wait for a top-up at once; one more is refused (`LimitExceeded { underfunded_runs }`). */
export const MAX_UNDERFUNDED_RUNS = 100;

export type AgentFunding = {
    /** The agent's balance at its last read; undefined until the first read. */
    balance?: bigint;
    /** When the read that gave `balance` was sent (not answered): orders reads that overlap. */
    checkedAt?: bigint;
    underfunded: boolean;
    /** A balance read is queued (at most one live read per owner). */
    checkQueued: boolean;
    /**
     * Sequence of the live read: a read queued earlier (still retrying after a top-up through
     * DeFlow ended the episode) finds a newer number and ends without reading.
     */
    checkSeq: number;
    /** An `AgentUnderfunded` alert was sent and not yet resolved. */
    alertOpen: boolean;
    /** Ids of the owner's executions created `Underfunded`, oldest first. */
    waiting: string[];
};

export const UNKNOWN_FUNDING: AgentFunding = { underfunded: false, checkQueued: false, checkSeq: 0, alertOpen: false, waiting: [] };

/** What a balance read changed: whether runs must now wait, or may go again. */
export type FundingChange = 'BecameUnderfunded' | 'BecameFunded' | 'Unchanged';

/**
 * Records a balance read sent at `sentAt`. A read sent before the one already recorded is
 * stale and changes nothing: a read the outbox sent before a `top_up_agent`, answered after
 * the top-up's own read, would otherwise mark the topped-up agent short again.
 *
 * @example
 * recordBalance(UNKNOWN_FUNDING, 150_000_000_000n, now).change; // 'BecameUnderfunded'
 * recordBalance({ ...funded, checkedAt: now }, 1n, now - 1n).change; // 'Unchanged' (stale)
 */
export function recordBalance(f: AgentFunding, balance: bigint, sentAt: bigint, minimum: bigint = AGENT_RUN_MIN_BALANCE): { funding: AgentFunding; change: FundingChange } {
    if (f.checkedAt !== undefined && sentAt < f.checkedAt) return { funding: f, change: 'Unchanged' };
    const underfunded = balance < minimum;
    const change: FundingChange = underfunded === f.underfunded ? 'Unchanged' : underfunded ? 'BecameUnderfunded' : 'BecameFunded';
    return { funding: { ...f, balance, checkedAt: sentAt, underfunded }, change };
}

/** Whether one more execution may wait for a top-up (else its start is refused: `LimitExceeded { underfunded_runs }`). */
export function hasRoomToWait(f: AgentFunding, max: number = MAX_UNDERFUNDED_RUNS): boolean {
    return f.waiting.length < max;
}

/** The funding with one more execution waiting for a top-up (newest last). */
export function withWaiting(f: AgentFunding, executionId: string): AgentFunding {
    return { ...f, waiting: [...f.waiting, executionId] };
}

/** Takes up to `batch` waiting executions (oldest first) to start now. */
export function takeWaiting(f: AgentFunding, batch: number): { funding: AgentFunding; release: string[] } {
    return { funding: { ...f, waiting: f.waiting.slice(batch) }, release: f.waiting.slice(0, batch) };
}

/** The owner's view of their agent's funding (`get_agent`). */
export const AgentFundingWire = c.record({
    balance: c.nat,
    checked_at: c.nat64,
    minimum: c.nat,
    underfunded: c.bool,
    waiting_runs: c.nat32
});
export type AgentFundingWire = Infer<typeof AgentFundingWire>;

/** `[]` until the balance was read once. */
export function encodeAgentFunding(f: AgentFunding): [] | [AgentFundingWire] {
    if (f.balance === undefined || f.checkedAt === undefined) return [];
    return [{ balance: f.balance, checked_at: f.checkedAt, minimum: AGENT_RUN_MIN_BALANCE, underfunded: f.underfunded, waiting_runs: f.waiting.length }];
}

/** `top_up_agent`: cycles attached to the call go to `owner`'s agent. */
export const TopUpAgentArgWire = c.record({ owner: c.principal });
export type TopUpAgentArg = Infer<typeof TopUpAgentArgWire>;

/** What `top_up_agent` did: the cycles deposited, and the agent's balance read right after (`[]`: the read failed, one is queued). */
export const TopUpAgentReplyWire = c.record({ agent: c.principal, deposited: c.nat, balance: c.opt(c.nat), underfunded: c.bool });
export type TopUpAgentReply = Infer<typeof TopUpAgentReplyWire>;
