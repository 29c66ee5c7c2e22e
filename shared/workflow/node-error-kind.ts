import { c } from '../common/codec';

/**
 * Why a node attempt failed. `Evaluation` (a condition/transform/template that cannot be
 * evaluated), `CallRefused` (the call policy refused the target: nothing was sent) and
 * `QuotaExceeded` (an owner quota had no room: nothing was sent) are never retried; every
 * other kind is retried per policy. Apart from the execution types so retry rules
 * (`recovery.ts`) can name kinds without an import cycle.
 */
export const NodeErrorKind = {
    Rejected: 'Rejected',
    TimedOut: 'TimedOut',
    InvalidReply: 'InvalidReply',
    Evaluation: 'Evaluation',
    Unavailable: 'Unavailable',
    Internal: 'Internal',
    CallRefused: 'CallRefused',
    QuotaExceeded: 'QuotaExceeded',
    /** The owner's agent had too few cycles for what the call attaches; retried per policy (a top-up fixes it). */
    InsufficientCycles: 'InsufficientCycles',
    /** The call was answered, and the node's failure rule says the answer is a failure (by default a `variant { Err }` reply). */
    ReplyErr: 'ReplyErr'
} as const;
export type NodeErrorKind = (typeof NodeErrorKind)[keyof typeof NodeErrorKind];
export const NODE_ERROR_KINDS = Object.values(NodeErrorKind);

/** Candid variant of {@link NodeErrorKind}. */
export const NodeErrorKindWire = c.variant({
    Rejected: c.null,
    TimedOut: c.null,
    InvalidReply: c.null,
    Evaluation: c.null,
    Unavailable: c.null,
    Internal: c.null,
    CallRefused: c.null,
    QuotaExceeded: c.null,
    InsufficientCycles: c.null,
    ReplyErr: c.null
});
