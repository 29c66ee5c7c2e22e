/**
 * The server's instances, by PocketIC instance id, with one operation at a time per instance.
 */
import { InstanceApi, InstanceConfig, OperationError } from '../api';
import { errorLog } from './log';

/** Creates an engine instance (`createInstance` from `../instance`). */
export type InstanceFactory = (config: InstanceConfig) => InstanceApi;

type Slot = { api: InstanceApi; deleted: boolean; queue: Promise<void> };

/** Instances by id. Operations on one instance are queued; different instances do not wait for each other. */
export class InstanceRegistry {
    private readonly slots: Slot[] = [];

    /**
     * @param loadFactory returns the engine's factory; called on the first creation so that a
     *   broken engine surfaces as an error reply rather than a server that never starts.
     */
    constructor(private readonly loadFactory: () => InstanceFactory) {}

    /** Creates an instance; ids count up from 0 and are never reused, as in PocketIC. */
    create(config: InstanceConfig): { id: number; api: InstanceApi } {
        const api = this.loadFactory()(config);
        this.slots.push({ api, deleted: false, queue: Promise.resolve() });
        return { id: this.slots.length - 1, api };
    }

    /**
     * Runs `operation` on an instance after every earlier operation on it has finished, so that
     * concurrent requests (pic-js submits up to 12 chunk uploads at once) never interleave.
     * Rejects with `OperationError` (404) for an unknown or deleted instance.
     */
    run<T>(id: number, operation: (api: InstanceApi) => T | Promise<T>): Promise<T> {
        const slot = this.slot(id);
        const result = slot.queue.then(() => {
            if (slot.deleted) throw deletedError(id);
            return operation(slot.api);
        });
        // The next operation waits for this one whether it succeeded or failed.
        slot.queue = result.then(
            () => undefined,
            () => undefined
        );
        return result;
    }

    /** Deletes an instance once its queued operations are done, and releases its resources. */
    async delete(id: number): Promise<void> {
        await this.run(id, (api) => {
            this.slot(id).deleted = true;
            api.dispose();
        });
    }

    /** One state per instance id ever created, as PocketIC's `GET /instances` lists them. */
    list(): string[] {
        return this.slots.map((slot) => (slot.deleted ? 'Deleted' : 'Available'));
    }

    /** Disposes every live instance at once (server shutdown; queued work is abandoned). */
    disposeAll(): void {
        for (const slot of this.slots) {
            if (slot.deleted) continue;
            slot.deleted = true;
            try {
                slot.api.dispose();
            } catch (error) {
                // Shutdown must go on (the port file still has to be removed).
                errorLog(`disposing an instance failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
            }
        }
    }

    private slot(id: number): Slot {
        const slot = Number.isSafeInteger(id) && id >= 0 ? this.slots[id] : undefined;
        if (slot === undefined) throw new OperationError(`Instance ${id} not found`, 404);
        if (slot.deleted) throw deletedError(id);
        return slot;
    }
}

function deletedError(id: number): OperationError {
    return new OperationError(`Instance ${id} was deleted`, 404);
}
