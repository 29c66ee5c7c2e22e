/**
 * The orchestrator's timers. Their handles are heap state and vanish on upgrade, which is
 * why `post_upgrade` calls {@link rearmAll}: everything they act on is in stable memory.
 */
import { setTimerInterval, time } from 'azle';

import { ReArmableTimer } from '../../common/outbox/timer';
import { checkDeadlines } from './engine';
import { outbox } from './outbox';
import { pruneFinished, reporter, RETENTION_INTERVAL_SECONDS } from './housekeeping';

const deadlineTimer = new ReArmableTimer(() => checkDeadlines());

/** Wakes the outbox at its next due entry (at once if one is due). */
export function armOutbox(): void {
    outbox.arm();
}

/** Wakes the timeout check by `at`. */
export function armDeadlines(at: bigint, now: bigint): void {
    deadlineTimer.armAt(at, now);
}

/** Call context: the timer message that completes an index rebuild: the deadline pass and the outbox run again over the full indexes. */
export function rearmAfterRebuild(): void {
    const now = time();
    outbox.armNow();
    deadlineTimer.armAt(now, now);
}

/** Call context: init and post_upgrade. Arms every timer from stable state. */
export function rearmAll(): void {
    const now = time();
    // Both passes run at once and re-arm themselves for whatever is next: working that out
    // here would read every stored entry and make the upgrade's cost grow with the data.
    outbox.armNow();
    deadlineTimer.armAt(now, now);
    setTimerInterval(RETENTION_INTERVAL_SECONDS, () => {
        pruneFinished();
    });
    reporter.start();
}
