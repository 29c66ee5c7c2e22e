import { assertNever } from '../../../../shared/common/result';
import type { ConditionRead } from '../../../../shared/scheduling/condition';
import type { FiringEntry, FiringOutcome } from '../../../../shared/scheduling/firing';
import type { StoredStart } from './start-outbox';

/**
 * Everything the pure scheduler logic asks the canister adapter to do. The adapter applies
 * them in order. A start is sent by the scheduler's durable outbox once its `PutOutbox` is
 * committed (`start-outbox.ts`), never by the message that decided it.
 */
export type SchedulerEffect =
    /** Store a new start request in the outbox (keyed by `entry.key`), which then sends it. */
    | { type: 'PutOutbox'; entry: StoredStart }
    /** Make a condition trigger's read for the due time `due_at` (inter-canister, awaited; the reply goes to `onConditionRead`). */
    | { type: 'ReadCondition'; schedule_id: string; due_at: bigint; read: ConditionRead }
    /** Append to (or replace the same due time in) the schedule's firing history. */
    | { type: 'RecordFiring'; entry: FiringEntry }
    /** Change the outcome of an existing history entry (Pending → Started/Failed/Skipped). */
    | { type: 'UpdateFiring'; schedule_id: string; due_at: bigint; outcome: FiringOutcome }
    /** (Re)arm the single global timer to fire at `at` (ns), `delay_ns` from now. */
    | { type: 'ArmTimer'; at: bigint; delay_ns: bigint }
    /** Nothing is due: cancel the global timer. */
    | { type: 'CancelTimer' };

export type SchedulerEffectType = SchedulerEffect['type'];

/**
 * A one-line description for logs; also the model of an exhaustive switch over effects.
 *
 * @example
 * describeEffect({ type: 'CancelTimer' }) // 'cancel timer'
 */
export function describeEffect(effect: SchedulerEffect): string {
    switch (effect.type) {
        case 'PutOutbox':
            return `outbox put ${effect.entry.key}`;
        case 'ReadCondition':
            return `read ${effect.read.method} for ${effect.schedule_id}@${effect.due_at}`;
        case 'RecordFiring':
            return `firing ${effect.entry.schedule_id}@${effect.entry.due_at}`;
        case 'UpdateFiring':
            return `firing update ${effect.schedule_id}@${effect.due_at}`;
        case 'ArmTimer':
            return `arm timer at ${effect.at}`;
        case 'CancelTimer':
            return 'cancel timer';
        default:
            return assertNever(effect, 'scheduler effect');
    }
}
