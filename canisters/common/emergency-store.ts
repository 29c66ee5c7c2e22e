/**
 * The emergency/safe mode state a DeFlow canister holds, in stable memory so an upgrade
 * during an incident does not silently resume work. The monitor decides; every canister
 * adopts the newest state it hears of (a push to `set_emergency_mode` or a `report_health`
 * ack), so out-of-order deliveries converge. Only this module touches its stable map.
 */
import { StableBTreeMap } from 'azle';

import { parseWith } from '../../shared/common/codec';
import type { ApiError } from '../../shared/common/errors';
import { EmergencyStateCodec, NORMAL_MODE, newerEmergencyState, type EmergencyState } from '../../shared/monitoring/emergency';
import { err, type Result } from '../../shared/common/result';

const KEY = 'emergency';
/** Stored shape version of the emergency cell. */
export const EMERGENCY_SCHEMA_VERSION = 1;
type StoredEmergency = { schema_version: number; state: EmergencyState };

export class EmergencyStore {
    private readonly store: StableBTreeMap<string, StoredEmergency>;

    /** `memoryId` comes from the owning canister's memory table (`memory.ts`). */
    constructor(memoryId: number) {
        this.store = new StableBTreeMap<string, StoredEmergency>(memoryId);
    }

    /** The state in force (`NORMAL_MODE` until the monitor says otherwise). */
    get current(): EmergencyState {
        return this.store.get(KEY)?.state ?? NORMAL_MODE;
    }

    /**
     * Adopts `incoming` if it is at least as new as the state held (`changed_at`); returns
     * whether the mode in force changed, so the caller can react (resume work, re-arm timers).
     *
     * @example
     * if (emergency.adopt(ack.emergency)) rearm();
     */
    adopt(incoming: EmergencyState): boolean {
        const before = this.current;
        const next = newerEmergencyState(before, incoming);
        if (next === before) return false;
        this.store.insert(KEY, { schema_version: EMERGENCY_SCHEMA_VERSION, state: next });
        return Object.keys(before.mode)[0] !== Object.keys(next.mode)[0];
    }
}

/**
 * The body every canister's `set_emergency_mode` shares: refuse a caller that is not the
 * monitor (`denied`, from the canister's own guard), validate, then `adopt` the state (the
 * canister decides what adopting means: re-arm timers, pause executions).
 *
 * @example
 * return receiveEmergencyState(requirePeer('monitor'), state, (s) => adoptEmergency(s, time()));
 */
export function receiveEmergencyState(
    denied: ApiError | undefined,
    incoming: EmergencyState,
    adopt: (state: EmergencyState) => void
): Result<null, ApiError> {
    if (denied !== undefined) return err(denied);
    const valid = parseWith(EmergencyStateCodec.schema, incoming);
    if ('Err' in valid) return valid;
    adopt(valid.Ok);
    return { Ok: null };
}
