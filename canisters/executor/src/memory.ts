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
    /** 'module' -> StoredAgentModule (the chunk hashes and hash of the gzip-compressed agent wasm agents are installed with). */
    agentModule: 6,
    /** owner principal text -> StoredAgent (each owner's agent canister). */
    agents: 7,
    /** agent canister text -> owner principal text: what the call policy looks agents up in. */
    agentOwners: 8,
    /** chunk sha256 hex -> the chunk's bytes (raw): the agent module's chunks, uploaded by the deploy step. */
    agentModuleChunks: 9,
    /** 'subnets' -> subnet principal texts new agents are spread over (empty: the executor's own). */
    agentSubnets: 10,
    // 40-49: the indexes (./indexes.ts), kept apart from the record maps' ids above.
    /** `timeKey(due_at, attempt key)` -> null: scheduled attempts by when they are due. */
    scheduledIndex: 40,
    /** `timeKey(deadline_at, attempt key)` -> null: running attempts by their deadline. */
    runningIndex: 41,
    /** `timeKey(next_at, attempt key)` -> null: pending result reports by when they are sent next. */
    reportIndex: 42,
    /** `timeKey(finished_at, attempt key)` -> null: finished, acknowledged (or cancelled) attempts, oldest first, for retention. */
    retentionIndex: 43,
    /** execution id -> GroupHead: the execution's scheduled attempts (cancel_execution_attempts). */
    scheduledGroupHeads: 44,
    /** `${execution id}#${page}` -> GroupPage of attempt keys. */
    scheduledGroupPages: 45,
    /** 'build' -> the index rebuild's progress (after an upgrade from a release without them). */
    indexBuild: 46
} as const;
