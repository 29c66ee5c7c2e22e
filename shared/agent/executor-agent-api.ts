/**
 * The executor's agent methods: the module it installs, and one agent per owner. Kept apart
 * from the agent's own contract (`api.ts`) so `shared/workflow/executor-api.ts` can spread
 * these entries into `ExecutorMethods` without an import cycle.
 */
import { ApiErrorIdl, type ApiError } from '../common/errors';
import type { MethodSpec } from '../workflow/api-common';
import { w, type WireOf } from '../workflow/wire';

const ApiErrorWire = w.from<ApiError>(ApiErrorIdl);

/**
 * `set_agent_module`: the agent module new agents are installed with, as chunks already in the
 * executor's own chunk store (the deploy step uploads them with the management canister's
 * `upload_chunk`): their hashes in order and the hash of the assembled module (sha256).
 */
export const AgentModuleWire = w.record({ chunk_hashes: w.vec(w.blob), wasm_module_hash: w.blob });
export type AgentModule = WireOf<typeof AgentModuleWire>;

/** An owner's agent as the executor knows it. `Creating`: asked for, not installed yet. */
export const AgentRecordWire = w.record({ owner: w.principal, agent: w.opt(w.principal), status: w.variant({ Creating: w.null, Ready: w.null }) });
export type AgentRecordWire = WireOf<typeof AgentRecordWire>;

/** Method table entries of the executor for agents (spread into `ExecutorMethods`). */
export const ExecutorAgentMethods = {
    set_agent_module: { args: [AgentModuleWire], ret: w.variant({ Ok: w.null, Err: ApiErrorWire }), mode: 'update' },
    ensure_agent: { args: [w.record({ owner: w.principal })], ret: w.variant({ Ok: AgentRecordWire, Err: ApiErrorWire }), mode: 'update' },
    get_agent: { args: [w.record({ owner: w.principal })], ret: w.variant({ Ok: AgentRecordWire, Err: ApiErrorWire }), mode: 'query' }
} as const satisfies Record<string, MethodSpec>;
