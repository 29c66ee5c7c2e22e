/**
 * One value in stable memory (a single-key StableBTreeMap), stored with the schema version
 * it was written with so a later release can migrate it when it reads it.
 */
import { StableBTreeMap } from 'azle';

const KEY = 'v';
type Stored<T> = { schema_version: number; value: T };

export class StableCell<T> {
    private readonly map: StableBTreeMap<string, Stored<T>>;
    private readonly initial: () => T;
    private readonly schemaVersion: number;

    /** `memoryId` from the canister's memory table; `initial` is the value before the first write. */
    constructor(memoryId: number, initial: () => T, schemaVersion = 1) {
        this.map = new StableBTreeMap<string, Stored<T>>(memoryId);
        this.initial = initial;
        this.schemaVersion = schemaVersion;
    }

    get(): T {
        return this.map.get(KEY)?.value ?? this.initial();
    }

    set(value: T): void {
        this.map.insert(KEY, { schema_version: this.schemaVersion, value });
    }
}
