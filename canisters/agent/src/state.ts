/** The agent's stable state: its owner and the executor that may hand it calls. */
import { StableBTreeMap } from 'azle';

import type { AgentInitArg } from '../../../shared/agent/api';

/** Every stable memory id of the agent, named once. Never reuse or renumber an id. */
export const MEMORY = {
    /** 'config' -> AgentInitArg. */
    config: 0
} as const;

export const SCHEMA_VERSION = 1;

const config = new StableBTreeMap<string, AgentInitArg>(MEMORY.config);

export function storeConfig(arg: AgentInitArg): void {
    config.insert('config', arg);
}

export function agentConfig(): AgentInitArg {
    const c = config.get('config');
    if (c === undefined) throw new Error('invariant broken: agent installed without its configuration');
    return c;
}
