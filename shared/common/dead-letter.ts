import { c, type Infer, type MethodSpec } from './codec';
import { ApiErrorCodec } from './errors';
import { pageWire, PageRequestWire } from './page';

/**
 * Why an outbox entry left its canister's outbox undelivered (see
 * `canisters/common/outbox/delivery.ts`): its handling trapped `handlings` times without
 * recording an outcome; it was retried `attempts` times and given up; or it was refused in a
 * way retrying cannot change (a non-retryable reject).
 */
export const DeadLetterReasonCodec = c.variant({
    Trapped: c.record({ handlings: c.nat32 }),
    GaveUp: c.record({ attempts: c.nat32, last_error: c.text }),
    Refused: c.record({ error: c.text })
});
export type DeadLetterReasonWire = Infer<typeof DeadLetterReasonCodec>;

/**
 * An outbox entry kept, with its reason, instead of being dropped. `what` says what the entry
 * was for, e.g. `StartWorkflow wf-00000002 (ex-0000000001/spawn#1)`.
 *
 * @example
 * const d: DeadLetter = { id: '0000000000000007', what: 'Dispatch ex-1/a#1', reason: { Trapped: { handlings: 3 } }, enqueued_at: 1n, dead_at: 9n };
 */
export const DeadLetterCodec = c.record({
    id: c.text,
    what: c.text,
    reason: DeadLetterReasonCodec,
    enqueued_at: c.nat64,
    dead_at: c.nat64
});
export type DeadLetter = Infer<typeof DeadLetterCodec>;

/** The domain form of {@link DeadLetterReasonCodec} (what the outbox toolkit decides). */
export type DeadLetterReason =
    | { kind: 'Trapped'; handlings: number }
    | { kind: 'GaveUp'; attempts: number; last_error: string }
    | { kind: 'Refused'; error: string };

/** Domain to wire. */
export function encodeDeadLetterReason(r: DeadLetterReason): DeadLetterReasonWire {
    switch (r.kind) {
        case 'Trapped':
            return { Trapped: { handlings: r.handlings } };
        case 'GaveUp':
            return { GaveUp: { attempts: r.attempts, last_error: r.last_error } };
        case 'Refused':
            return { Refused: { error: r.error } };
    }
}

/** A page of dead letters, or the plain ApiError (Unauthorized, InvalidInput). */
export const DeadLetterPageResultCodec = c.result(pageWire(DeadLetterCodec), ApiErrorCodec);

/**
 * `list_dead_letters`, the same on every canister with an outbox: outbox entries not delivered
 * and why, oldest first. Callers: configured admins and controllers only.
 * Errors: Unauthorized, InvalidInput (limit above 100).
 */
export const ListDeadLettersMethod = { args: [PageRequestWire], ret: DeadLetterPageResultCodec, mode: 'query' } as const satisfies MethodSpec;
