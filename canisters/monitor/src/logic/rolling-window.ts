/**
 * A rolling window of one kind of work (executions, node attempts, schedule firings) in fixed
 * buckets: how many completed, how many of those failed, and the time they took. Storage is
 * bounded by `span_ns / bucket_ns + 1` buckets however many samples arrive, and totals are
 * exact to one bucket's width at the window's old edge.
 */
export type WindowBucket = { start: bigint; count: bigint; failures: bigint; time_ns: bigint };
export type RollingWindow = { span_ns: bigint; bucket_ns: bigint; buckets: WindowBucket[] };
export type WindowDelta = { count: bigint; failures: bigint; time_ns: bigint };
export type WindowTotals = WindowDelta & { average_time_ns: bigint | undefined };

const HOUR = 3_600_000_000_000n;

/**
 * An empty 24 h window in 15 min buckets (97 buckets at most).
 *
 * @example
 * const w = emptyWindow();
 */
export function emptyWindow(span_ns: bigint = 24n * HOUR, bucket_ns: bigint = HOUR / 4n): RollingWindow {
    return { span_ns, bucket_ns, buckets: [] };
}

/** Drops buckets that ended before `now - span`. @example pruneWindow(w, now).buckets.length <= 97 */
export function pruneWindow(window: RollingWindow, now: bigint): RollingWindow {
    const horizon = now - window.span_ns;
    return { ...window, buckets: window.buckets.filter((b) => b.start + window.bucket_ns > horizon) };
}

/**
 * Adds counters at time `at` (and prunes). Buckets stay sorted by start.
 *
 * @example
 * addToWindow(w, now, { count: 3n, failures: 1n, time_ns: 9_000_000_000n })
 */
export function addToWindow(window: RollingWindow, at: bigint, delta: WindowDelta): RollingWindow {
    const start = at - (at % window.bucket_ns);
    const buckets = [...window.buckets];
    const index = buckets.findIndex((b) => b.start === start);
    const existing = buckets[index];
    if (existing !== undefined) {
        buckets[index] = { start, count: existing.count + delta.count, failures: existing.failures + delta.failures, time_ns: existing.time_ns + delta.time_ns };
    } else {
        buckets.push({ start, ...delta });
        buckets.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
    }
    return pruneWindow({ ...window, buckets }, at);
}

/**
 * Totals over the window ending at `now`; the average is `undefined` when nothing completed.
 *
 * @example
 * windowTotals(w, now).failures // failures in the last 24 h
 */
export function windowTotals(window: RollingWindow, now: bigint): WindowTotals {
    const live = pruneWindow(window, now).buckets.filter((b) => b.start <= now);
    const totals = live.reduce<WindowDelta>(
        (t, b) => ({ count: t.count + b.count, failures: t.failures + b.failures, time_ns: t.time_ns + b.time_ns }),
        { count: 0n, failures: 0n, time_ns: 0n }
    );
    return { ...totals, average_time_ns: totals.count === 0n ? undefined : totals.time_ns / totals.count };
}
