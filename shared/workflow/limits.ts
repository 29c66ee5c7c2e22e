/**
 * Bounds of the workflow contract. Every one is enforced by the zod schemas (or the DAG
 * validator) before anything is stored, so stored records and per-message work stay bounded.
 */
export const WORKFLOW_LIMITS = {
    /** Nodes per workflow definition. */
    maxNodes: 100,
    /** Dependencies per node. */
    maxDependencies: 20,
    /** Characters of a workflow name. */
    maxNameChars: 100,
    /** Characters of a workflow description. */
    maxDescriptionChars: 1000,
    /** Characters of a node id; ids are also used in JSON references, so they stay short. */
    maxNodeIdChars: 64,
    /** UTF-8 bytes of any one node payload: call argument, JSON constant, template, message. */
    maxPayloadBytes: 16 * 1024,
    /**
     * Nesting depth of any JSON value (execution inputs, constants, default values, outputs):
     * checked on the text before it is parsed, since parsing and every later walk of a value
     * recurse, and a value nested ~5,000 deep overflows a canister's stack.
     */
    maxJsonDepth: 64,
    /** UTF-8 bytes of one node's recorded output or error message. */
    maxOutputBytes: 16 * 1024,
    /** Characters of a Candid method name. */
    maxMethodChars: 128,
    /** Characters of a Candid type text (call argument or reply types). */
    maxCandidTypeChars: 2048,
    /** Characters of a JSON path (`a.b.0.c`). */
    maxPathChars: 256,
    /** Clauses of one condition, fields of one transform. */
    maxClauses: 20,
    /** Emergency actions of one node. */
    maxEmergencyActions: 5,
    /** Retries after the first attempt. */
    maxRetries: 10,
    /** Largest first retry delay. */
    maxInitialDelayMs: 24 * 60 * 60 * 1000,
    /** Cap of any single backoff delay. */
    maxRetryDelayMs: 24 * 60 * 60 * 1000,
    /** Largest backoff factor. */
    maxBackoffFactor: 10,
    /** Longest `delay` node. */
    maxDelayNodeMs: 30 * 24 * 60 * 60 * 1000,
    /** Longest node timeout. */
    maxNodeTimeoutMs: 24 * 60 * 60 * 1000,
    /** Longest execution timeout (and the default when a definition gives none). */
    maxExecutionTimeoutMs: 7 * 24 * 60 * 60 * 1000,
    /** Cycles one call node may attach. */
    maxCallCycles: 10n ** 13n
} as const;

/** Node timeout used when a node gives none. */
export const DEFAULT_NODE_TIMEOUT_MS = 5 * 60 * 1000;

/** Execution timeout used when a definition gives none. */
export const DEFAULT_EXECUTION_TIMEOUT_MS = 24 * 60 * 60 * 1000;

/** Nanoseconds per millisecond: timestamps are IC time (ns, bigint), durations are ms. */
export const NS_PER_MS = 1_000_000n;

/** Converts a millisecond duration to nanoseconds. */
export function msToNs(ms: number): bigint {
    return BigInt(Math.round(ms)) * NS_PER_MS;
}

/** UTF-8 length of a string without Node's `Buffer` (shared code runs inside canisters too). */
export function utf8Bytes(s: string): number {
    return new TextEncoder().encode(s).length;
}
