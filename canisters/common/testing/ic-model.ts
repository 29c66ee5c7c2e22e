/**
 * Test support: a model of the IC as the outbox runner meets it, so the real
 * {@link OutboxRunner} and a canister's real outbox store run in a unit test. Each spawned
 * work is one message; a message that throws (a trap) has every stable write it made rolled
 * back, as the IC does. Stable memory here is a set of maps whose values are replaced, never
 * changed in place (what the canisters' stores do), so a snapshot is a shallow copy.
 */
import type { DeadLetterReason } from '../outbox/delivery';
import type { DeadLetterSink, OutboxScheduling, StoredValue } from '../outbox/runner';

export class IcModel {
    now: bigint;
    /** Messages that trapped, in order. */
    readonly traps: string[] = [];
    private readonly memories: Map<string, unknown>[] = [];
    private readonly queue: (() => Promise<void> | void)[] = [];
    private wake: bigint | undefined;

    constructor(now: bigint) {
        this.now = now;
    }

    readonly scheduling: OutboxScheduling = {
        spawn: (work) => {
            this.queue.push(work);
        },
        wakeAt: (at) => {
            if (this.wake === undefined || at < this.wake) this.wake = at;
        }
    };

    /** A stable map (rolled back with the message that wrote it). */
    map<V>(): Map<string, V> {
        const m = new Map<string, V>();
        this.memories.push(m as Map<string, unknown>);
        return m;
    }

    /** A stable cell holding `initial` until written. */
    cell<T>(initial: T): StoredValue<T> {
        const m = this.map<T>();
        return { get: () => (m.has('v') ? (m.get('v') as T) : initial), set: (v) => void m.set('v', v) };
    }

    /** A dead-letter store, as `list_dead_letters` would list it. */
    deadLetters(): DeadLetterSink & { list(): { id: string; what: string; reason: DeadLetterReason }[] } {
        const m = this.map<{ id: string; what: string; reason: DeadLetterReason }>();
        return { add: (id, what, reason) => void m.set(id, { id, what, reason }), list: () => [...m.values()].sort((a, b) => (a.id < b.id ? -1 : 1)) };
    }

    /** Moves the clock to the armed wake-up (if any is due by `until`), runs the drain and every message it spawns. */
    async round(drain: () => void, until: bigint): Promise<boolean> {
        if (this.wake === undefined || this.wake > until) return false;
        if (this.wake > this.now) this.now = this.wake;
        this.wake = undefined;
        this.queue.push(drain);
        while (this.queue.length > 0) await this.message(this.queue.shift()!);
        return true;
    }

    /** Runs rounds until nothing is due by `until`, at most `max` of them. */
    async runUntil(drain: () => void, until: bigint, max = 100): Promise<void> {
        for (let i = 0; i < max && (await this.round(drain, until)); i += 1);
    }

    private async message(work: () => Promise<void> | void): Promise<void> {
        const snapshot = this.memories.map((m) => new Map(m));
        try {
            await work();
        } catch (error) {
            this.memories.forEach((m, i) => {
                m.clear();
                for (const [k, v] of snapshot[i]!) m.set(k, v);
            });
            this.traps.push(error instanceof Error ? error.message : String(error));
        }
    }
}
