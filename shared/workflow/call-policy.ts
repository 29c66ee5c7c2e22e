/**
 * The call policy: which canisters a workflow's call nodes may target. One pure rule, applied
 * by the orchestrator when a definition is stored (create/update) and by the executor right
 * before it sends a call (defence in depth: a definition stored before the rule existed, or a
 * forged dispatch, is still refused, and nothing is sent).
 *
 * Targets are compared by their bytes, never by their text: a principal has one byte form but
 * the text parsers accept more than one spelling (`Principal.fromText` also takes the JSON
 * form `{"__principal__":"…"}`), so a text comparison could be walked around.
 */
import { Principal } from '@dfinity/principal';

import type { WorkflowDefinition } from './definition';
import { c, type Infer } from '../common/codec';

/** Why a call target is refused. */
export const CallRefusalReason = {
    /** One of DeFlow's own canisters (orchestrator, scheduler, executor, monitor, any agent). */
    DeflowCanister: 'DeflowCanister',
    /** The management canister `aaaaa-aa`. */
    ManagementCanister: 'ManagementCanister',
    /**
     * Not a canister id. The replica routes a request addressed to a subnet id to the
     * management canister exactly like one addressed to `aaaaa-aa` (dfinity/ic
     * `rs/replicated_state/src/canister_state/queues.rs`, `reject_subnet_output_request`), and
     * subnet ids are self-authenticating principals, not opaque ones: only opaque ids (class
     * byte 0x01) name canisters, so everything else is refused.
     */
    NotACanister: 'NotACanister',
    /** The owner keeps an allow-list of targets and this one is not on it. */
    NotOnAllowList: 'NotOnAllowList'
} as const;
export type CallRefusalReason = (typeof CallRefusalReason)[keyof typeof CallRefusalReason];

export const CallRefusalReasonWire = c.variant({ DeflowCanister: c.null, ManagementCanister: c.null, NotACanister: c.null, NotOnAllowList: c.null });
export type CallRefusalReasonWire = Infer<typeof CallRefusalReasonWire>;

/** `CallRefused` error data: the node, its target, and why. */
export const CallRefusedWire = c.record({ node_id: c.text, target: c.principal, reason: CallRefusalReasonWire });
export type CallRefusedWire = Infer<typeof CallRefusedWire>;

/**
 * What the rule needs: DeFlow's protected canisters, and the owner's allow-list (`undefined`
 * or empty: no restriction beyond the protected set).
 */
export type CallTargetRule = {
    readonly protectedCanisters: readonly Principal[];
    /** DeFlow canisters too many to list (the agents): answered by a lookup. */
    readonly isAgent?: (target: Principal) => boolean;
    readonly allowList?: readonly Principal[];
};

/** The suffix byte of opaque ids, the class every canister id belongs to (interface spec, "Principals"). */
const OPAQUE_ID_CLASS = 0x01;

function sameBytes(a: Principal, b: Principal): boolean {
    return a.toHex() === b.toHex();
}

/**
 * Why `target` may not be called under `rule`, or `undefined` if it may.
 *
 * @example
 * refuseCallTarget(Principal.fromText('aaaaa-aa'), { protectedCanisters: [] }); // 'ManagementCanister'
 */
export function refuseCallTarget(target: Principal, rule: CallTargetRule): CallRefusalReason | undefined {
    const bytes = target.toUint8Array();
    if (bytes.length === 0) return 'ManagementCanister';
    if (bytes[bytes.length - 1] !== OPAQUE_ID_CLASS) return 'NotACanister';
    if (rule.protectedCanisters.some((p) => sameBytes(p, target)) || rule.isAgent?.(target) === true) return 'DeflowCanister';
    const allow = rule.allowList ?? [];
    if (allow.length > 0 && !allow.some((p) => sameBytes(p, target))) return 'NotOnAllowList';
    return undefined;
}

/** A refused call node of a definition. */
export type CallRefusal = { nodeId: string; target: Principal; reason: CallRefusalReason };

/**
 * The first call node of `def` whose target the rule refuses, in definition order.
 *
 * @example
 * const refused = refusedCallOf(def, { protectedCanisters: peers, allowList });
 * if (refused !== undefined) return { Err: workflowError.callRefused(refused) };
 */
export function refusedCallOf(def: WorkflowDefinition, rule: CallTargetRule): CallRefusal | undefined {
    for (const n of def.nodes) {
        if (n.config.kind !== 'Call') continue;
        const target = Principal.fromText(n.config.canister);
        const reason = refuseCallTarget(target, rule);
        if (reason !== undefined) return { nodeId: n.id, target, reason };
    }
    return undefined;
}

export function encodeCallRefusalReason(reason: CallRefusalReason): CallRefusalReasonWire {
    switch (reason) {
        case 'DeflowCanister':
            return { DeflowCanister: null };
        case 'ManagementCanister':
            return { ManagementCanister: null };
        case 'NotACanister':
            return { NotACanister: null };
        case 'NotOnAllowList':
            return { NotOnAllowList: null };
    }
}

export function encodeCallRefusal(r: CallRefusal): CallRefusedWire {
    return { node_id: r.nodeId, target: r.target, reason: encodeCallRefusalReason(r.reason) };
}
