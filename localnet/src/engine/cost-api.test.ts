import { costOf } from './cost-api';

describe('Localnet > cost API', () => {
    it('prices an HTTPS outcall for a 13-node subnet by the specification formula', () => {
        // (3M + 60k·13)·13 + 400·13·100 + 800·13·2000
        expect(costOf({ kind: 'http_request', requestSize: 100n, maxResponseBytes: 2_000n })).toEqual({ cycles: 49_140_000n + 520_000n + 20_800_000n });
    });

    it('prices a canister creation', () => {
        expect(costOf({ kind: 'create_canister' })).toEqual({ cycles: 500_000_000_000n });
    });

    it('answers an unknown key for a valid curve and an invalid curve otherwise (no threshold keys are emulated)', () => {
        expect(costOf({ kind: 'sign_with_ecdsa', keyName: 'key_1', curve: 0 })).toEqual({ error: 'unknown_key' });
        expect(costOf({ kind: 'sign_with_ecdsa', keyName: 'key_1', curve: 1 })).toEqual({ error: 'invalid_curve_or_algorithm' });
        expect(costOf({ kind: 'sign_with_schnorr', keyName: 'key_1', algorithm: 1 })).toEqual({ error: 'unknown_key' });
        expect(costOf({ kind: 'sign_with_schnorr', keyName: 'key_1', algorithm: 2 })).toEqual({ error: 'invalid_curve_or_algorithm' });
        expect(costOf({ kind: 'vetkd_derive_key', keyName: 'key_1', curve: 3 })).toEqual({ error: 'invalid_curve_or_algorithm' });
    });
});
