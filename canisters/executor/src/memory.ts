/** Every stable memory id of the executor, named once. Never reuse or renumber an id. */
export const MEMORY = {
    /** DeploymentStore: peers and admins. */
    deployment: 0,
    /** attempt key text -> StoredAttemptRecord (every attempt within retention). */
    attempts: 1,
    /** attempt key text -> null for attempts with work left (run, time out, or report): what timers scan. */
    active: 2,
    /** 'meta' -> StoredMeta (health counters). */
    meta: 3,
    /** EmergencyStore: the monitor's emergency state in force. */
    emergency: 4,
    /** attempt key text -> StoredDeadLetter: reports refused or trapping, kept with their reason. */
    deadLetters: 5,
    /** 'module' -> StoredAgentModule (the gzip-compressed agent wasm new agents are installed with). */
    agentModule: 6,
    /** owner principal text -> StoredAgent (each owner's agent canister). */
    agents: 7,
    /** agent canister text -> owner principal text: what the call policy looks agents up in. */
    agentOwners: 8
} as const;
