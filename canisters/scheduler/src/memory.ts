/**
 * Every stable memory id the scheduler uses, named once. Never reuse or renumber an id: a
 * stored map would be read as another one after an upgrade.
 */
export const MEMORY = {
    /** DeploymentStore: peers and admins. */
    deployment: 0,
    /** EmergencyStore: the mode in force. */
    emergency: 1,
    /** schedule id → Schedule. */
    schedules: 2,
    /** dueIndexKey(next_due_at, id) → null: the first key is the next schedule to fire. */
    dueIndex: 3,
    /** idempotency key → outbox entry (start requests not yet answered for good). */
    outbox: 4,
    /** dueIndexKey(delivery.next_at, key) → null: the first key is the next retry. */
    retryIndex: 5,
    /** schedule id → bounded firing history. */
    firings: 6,
    /** 'counters' → id sequence and health counters. */
    counters: 7,
    /** 'cursor' → last schedule id rewritten by the post-upgrade schema migration. */
    migration: 8,
    /** owner principal text → number of schedules they hold (the schedule quota). */
    ownerScheduleCounts: 9,
    /** '' → the default schedule quota admins set; owner principal text → that owner's own. */
    scheduleQuotas: 10,
    /** workflowIndexKey(workflow_id, schedule_id) → null: the schedules of one workflow. */
    workflowIndex: 11,
    /** owner principal text → ReadUsage (condition reads this clock hour, refused in total). */
    conditionReadUsage: 12,
    /** '' → the default condition-read quota admins set; owner principal text → that owner's own. */
    conditionReadQuotas: 13,
    /** Start requests the outbox did not deliver, with their reason (DeadLetterStore). */
    deadLetters: 20,
    /** group → GroupHead of the listing groups (indexes.ts: all, owner:<p>, workflow:<id>). */
    scheduleGroupHeads: 40,
    /** `${group}#${n}` → a page of schedule ids of that group. */
    scheduleGroupPages: 41,
    /** 'build' → progress of the index rebuild after an upgrade (index-rebuild.ts). */
    indexBuild: 42
} as const;
