import { expiredStops, STOP_CANISTER_TIMEOUT_NS } from './stop-timeout';

describe('Localnet > engine > stop timeout', () => {
    it('expires a stop request once it has waited five minutes of subnet time, not a nanosecond before', () => {
        const early = { requestedAt: 1_000n, id: 'early' };
        const late = { requestedAt: 2_000n, id: 'late' };
        expect(STOP_CANISTER_TIMEOUT_NS).toBe(300_000_000_000n);
        expect(expiredStops([early, late], 1_000n + STOP_CANISTER_TIMEOUT_NS - 1n)).toEqual({ expired: [], waiting: [early, late] });
        expect(expiredStops([early, late], 1_000n + STOP_CANISTER_TIMEOUT_NS)).toEqual({ expired: [early], waiting: [late] });
        expect(expiredStops([early, late], 2_000n + STOP_CANISTER_TIMEOUT_NS)).toEqual({ expired: [early, late], waiting: [] });
    });
});
