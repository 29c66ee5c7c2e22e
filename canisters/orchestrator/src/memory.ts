/**
 * Every stable memory id of the orchestrator, named once. Never reuse or renumber an id: the
 * data of a released canister lives under it.
 */
export const MEMORY = {
    /** DeploymentStore: peers and admins. */
    deployment: 0,
    /** workflow id -> StoredWorkflow (metadata, latest version). */
    workflows: 1,
    /** `${workflow id}#${version}` -> StoredWorkflowVersion (the definition of one version). */
    workflowVersions: 2,
    /** execution id -> StoredExecution (the full per-node state). */
    executions: 3,
    /** execution id -> StoredExecutionSummary (what list_executions filters on). */
    executionSummaries: 4,
    /** execution id -> next deadline (ns) of unfinished executions only: what timers scan. */
    activeExecutions: 5,
    /** outbox entry id -> StoredOutboxEntry (intents committed before any inter-canister call). */
    outbox: 6,
    /** scheduler idempotency key -> execution id. */
    idempotency: 7,
    /** 'meta' -> StoredMeta (sequences, health counters). */
    meta: 8,
    /** `${finished_at padded}|${execution id}` -> execution id: finished executions, oldest first, for retention. */
    finished: 9,
    /** EmergencyStore: the monitor's emergency state in force. */
    emergency: 10,
    /** outbox entry id -> StoredDeadLetter: entries refused, given up or trapping, kept with their reason. */
    deadLetters: 11,
    /** owner principal text -> StoredAllowList (the owner's call allow-list; absent: none). */
    callAllowLists: 12,
    /** owner principal text -> StoredOwnerUsage (what the owner used of their quotas). */
    ownerUsage: 13,
    /** owner principal text -> StoredOwnerAgent (the owner's agent: asked for, or its principal). */
    ownerAgents: 14,
    /** agent principal text -> owner principal text: every agent is a DeFlow canister no call node may target. */
    agentOwners: 15,
    /** owner principal text -> StoredAgentFunding (their agent's balance as last read, runs waiting for a top-up). */
    ownerFunding: 16,
    /** '' -> the default OwnerQuotaLimits admins set; owner principal text -> that owner's own limits. */
    quotaLimits: 17,
    /** owner principal text -> StoredPositionManager (the canister/method a LiquidatePosition action calls). */
    positionManagers: 22,
    /** owner principal text -> StoredLiquidationLog (the owner's latest liquidations, sent or refused). */
    liquidations: 23,
    // 40-49: the indexes (./indexes.ts), kept apart from the record maps' ids above.
    /** `timeKey(deadline, execution id)` -> null: unfinished executions by next deadline (the deadline pass reads the front). */
    deadlineIndex: 40,
    /** `timeKey(next_at, entry id)` -> null: outbox entries by when they are due (the drain reads the front). */
    outboxDueIndex: 41,
    /** group -> GroupHead: `owner:<principal>` (workflow ids), see executionGroupPages. */
    workflowGroupHeads: 42,
    /** `${group}#${page}` -> GroupPage: each owner's workflow ids in id order. */
    workflowGroupPages: 43,
    /** group -> GroupHead of the execution groups below. */
    executionGroupHeads: 44,
    /** `${group}#${page}` -> GroupPage: execution ids of `owner:<principal>`, `workflow:<id>`, (unfinished only) `active:<workflow id>` and (finished only) `finished:<principal>`. */
    executionGroupPages: 45,
    /** 'build' -> StoredIndexBuild: how far the rebuild of the indexes from the records has come (after an upgrade from a release without them). */
    indexBuild: 46
} as const;
