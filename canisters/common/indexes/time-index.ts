/**
 * An ordered time index in stable memory: `timeKey(at, id) -> null`. It answers what a timer
 * pass needs (what is due now, when the next thing is due) by reading keys from the front
 * only, so a pass costs the same with 1,000 or 100,000 entries stored. The owner of the
 * records keeps each entry's current time (the index never holds two times for one id: the
 * caller says which time an id moves from).
 */
import { StableBTreeMap } from 'azle';

import { parseTimeKey, takeDueKeys, timeKey } from './time-key';

export class TimeIndex {
    private readonly map: StableBTreeMap<string, null>;

    constructor(memoryId: number) {
        this.map = new StableBTreeMap<string, null>(memoryId);
    }

    /** Moves `id` from time `from` to time `to` (either absent: enters or leaves the index). */
    move(id: string, from: bigint | undefined, to: bigint | undefined): void {
        if (from === to) return;
        if (from !== undefined) this.map.remove(timeKey(from, id));
        if (to !== undefined) this.map.insert(timeKey(to, id), null);
    }

    /** Ids due at `now`, earliest first, at most `max` (reads at most `max + 1` keys). */
    due(now: bigint, max: number): { ids: string[]; more: boolean; next: bigint | undefined } {
        return takeDueKeys(this.map.keys(0, max + 1), now, max);
    }

    /** The ids of the earliest `count` entries, whatever their time. */
    first(count: number): string[] {
        return this.map.keys(0, count).map((key) => parseTimeKey(key).id);
    }

    /** The earliest time in the index (reads one key). */
    earliest(): bigint | undefined {
        const [first] = this.map.keys(0, 1);
        return first === undefined ? undefined : parseTimeKey(first).at;
    }

    size(): number {
        return Number(this.map.len());
    }
}
