import { costOf } from './cost-api';
import { APPLICATION_SUBNET_FEES, FREE_FEES, callTotalFee } from './fees';

const fees = APPLICATION_SUBNET_FEES;

describe('Localnet > cost API', () => {
    it('prices an HTTPS outcall for a 13-node subnet by the specification formula', () => {
        // (3M + 60k·13)·13 + 400·13·100 + 800·13·2000
        expect(costOf(fees, { kind: 'http_request', requestSize: 100n, maxResponseBytes: 2_000n })).toEqual({ cycles: 49_140_000n + 520_000n + 20_800_000n });
        expect(costOf(FREE_FEES, { kind: 'http_request', requestSize: 100n, maxResponseBytes: 2_000n })).toEqual({ cycles: 0n });
    });

    it('prices a canister creation and a call from the subnet fee schedule', () => {
        expect(costOf(fees, { kind: 'create_canister' })).toEqual({ cycles: 500_000_000_000n });
        expect(costOf(fees, { kind: 'call', methodNameSize: 3n, payloadSize: 7n })).toEqual({ cycles: callTotalFee(fees, 10n) });
    });

    it('answers an unknown key for a valid curve and an invalid curve otherwise (no threshold keys are emulated)', () => {
        expect(costOf(fees, { kind: 'sign_with_ecdsa', keyName: 'key_1', curve: 0 })).toEqual({ error: 'unknown_key' });
        expect(costOf(fees, { kind: 'sign_with_ecdsa', keyName: 'key_1', curve: 1 })).toEqual({ error: 'invalid_curve_or_algorithm' });
        expect(costOf(fees, { kind: 'sign_with_schnorr', keyName: 'key_1', algorithm: 1 })).toEqual({ error: 'unknown_key' });
        expect(costOf(fees, { kind: 'sign_with_schnorr', keyName: 'key_1', algorithm: 2 })).toEqual({ error: 'invalid_curve_or_algorithm' });
        expect(costOf(fees, { kind: 'vetkd_derive_key', keyName: 'key_1', curve: 3 })).toEqual({ error: 'invalid_curve_or_algorithm' });
    });
});
