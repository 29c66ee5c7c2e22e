/**
 * The executor's agent methods: the module it installs, and one agent per owner. Kept apart
 * from the agent's own contract (`api.ts`) so `shared/workflow/executor-api.ts` can spread
 * these entries into `ExecutorMethods` without an import cycle.
 */
import { ApiErrorCodec } from '../common/errors';
import { c, type Infer, type MethodSpec } from '../common/codec';

/**
 * `set_agent_module`: the agent module agents are installed with, as chunks the deploy step
 * uploaded to the executor with `upload_agent_module_chunk` (kept in its stable memory):
 * their sha256 hashes in order and the sha256 of the assembled module.
 */
export const AgentModuleWire = c.record({ chunk_hashes: c.vec(c.blob), wasm_module_hash: c.blob });
export type AgentModule = Infer<typeof AgentModuleWire>;

/**
 * `upload_agent_module_chunk`: one chunk of the agent module and its sha256 as the deploy step
 * computed it. The executor keeps the chunk under that hash without hashing it (1 MiB of sha256
 * in the canister costs most of an update message); the management canister checks it when an
 * agent is installed (`upload_chunk` answers the hash it computed, `install_chunked_code`
 * checks the module's).
 */
export const AgentModuleChunkWire = c.record({ chunk: c.blob, sha256: c.blob });
export type AgentModuleChunk = Infer<typeof AgentModuleChunkWire>;

/** An owner's agent as the executor knows it. `Creating`: asked for, not installed yet. */
export const AgentRecordWire = c.record({ owner: c.principal, agent: c.opt(c.principal), status: c.variant({ Creating: c.null, Ready: c.null }) });
export type AgentRecordWire = Infer<typeof AgentRecordWire>;

/** At most this many agents per `upgrade_agents` call (each is a stop, an install and a start), so one call stays short whatever the number of owners. */
export const AGENT_UPGRADE_MAX_BATCH = 10;

/**
 * `upgrade_agents`: one batch of agents in owner order, after `cursor` (the previous report's
 * `next_cursor`; none: from the first). `limit`: agents examined, at most
 * {@link AGENT_UPGRADE_MAX_BATCH} (none: that many; 0 is InvalidInput).
 */
export const AgentUpgradeArgsWire = c.record({ cursor: c.opt(c.text), limit: c.opt(c.nat32) });
export type AgentUpgradeArgs = Infer<typeof AgentUpgradeArgsWire>;

/** The step of an agent's upgrade that failed. */
export const AgentUpgradeStepWire = c.variant({ Stop: c.null, Install: c.null, Start: c.null });
export type AgentUpgradeStep = Infer<typeof AgentUpgradeStepWire>;

/**
 * An agent `upgrade_agents` could not upgrade: the step that failed and why, and whether the
 * agent is running again (`start_canister` is asked after any failed step; `running: false`
 * means it may still be stopped or stopping: an operator starts it, or a new run of `upgrade_agents` retries it).
 */
export const AgentUpgradeFailureWire = c.record({ owner: c.principal, agent: c.principal, step: AgentUpgradeStepWire, running: c.bool, message: c.text });
export type AgentUpgradeFailure = Infer<typeof AgentUpgradeFailureWire>;

/**
 * What one `upgrade_agents` batch did: the agents upgraded to the current module, each one it
 * could not upgrade (it keeps serving its old module when `running`), and where the next batch
 * starts (none: this was the last).
 */
export const AgentUpgradeReportWire = c.record({ upgraded: c.nat32, failed: c.vec(AgentUpgradeFailureWire), next_cursor: c.opt(c.text) });
export type AgentUpgradeReportWire = Infer<typeof AgentUpgradeReportWire>;

/** Method table entries of the executor for agents (spread into `ExecutorMethods`). */
export const ExecutorAgentMethods = {
    upload_agent_module_chunk: { args: [AgentModuleChunkWire], ret: c.result(c.null, ApiErrorCodec), mode: 'update' },
    set_agent_module: { args: [AgentModuleWire], ret: c.result(c.null, ApiErrorCodec), mode: 'update' },
    set_agent_subnets: { args: [c.record({ subnets: c.vec(c.principal) })], ret: c.result(c.null, ApiErrorCodec), mode: 'update' },
    get_agent_subnets: { args: [], ret: c.vec(c.principal), mode: 'query' },
    ensure_agent: { args: [c.record({ owner: c.principal })], ret: c.result(AgentRecordWire, ApiErrorCodec), mode: 'update' },
    upgrade_agents: { args: [AgentUpgradeArgsWire], ret: c.result(AgentUpgradeReportWire, ApiErrorCodec), mode: 'update' },
    get_agent: { args: [c.record({ owner: c.principal })], ret: c.result(AgentRecordWire, ApiErrorCodec), mode: 'query' }
} as const satisfies Record<string, MethodSpec>;
