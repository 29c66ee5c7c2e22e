import { Principal } from '@dfinity/principal';

import { MEMO_MINT_CYCLES, type BlockValue } from '../common/icp-interfaces';
import { accountIdentifier, principalSubaccount } from '../icp-ledger/account-id';
import { candidBlock } from '../icp-ledger/ledger';
import { cyclesForE8s, mintPayment, tooOld } from './mint';

const cmc = Principal.fromText('rkp4c-7iaaa-aaaaa-aaaca-cai');
const payer = Principal.fromText('2vxsx-fae');
const cmcAccountOfPayer = accountIdentifier(cmc, principalSubaccount(payer));
const payment = (to: string, memo: bigint): BlockValue =>
    candidBlock({ kind: 'Transfer', from: accountIdentifier(payer), to, amount: 200_000_000n, fee: 10_000n, memo, createdAt: 1n, timestamp: 1n });

describe('CMC minting from ICP', () => {
    it('buys xdr_permyriad_per_icp cycles per e8: 1 ICP at 3.5 XDR is 3.5 T cycles', () => {
        expect(cyclesForE8s(100_000_000n, 35_000n)).toBe(3_500_000_000_000n);
        expect(cyclesForE8s(1n, 10_000n)).toBe(10_000n);
    });

    it('takes the amount of a MINT transfer to the CMC subaccount of the caller', () => {
        expect(mintPayment(payment(cmcAccountOfPayer, MEMO_MINT_CYCLES), 3n, cmcAccountOfPayer)).toEqual({ e8s: 200_000_000n });
    });

    it('refuses a missing block, a mint, another destination and another memo as InvalidTransaction', () => {
        expect(mintPayment(undefined, 9n, cmcAccountOfPayer)).toEqual({ InvalidTransaction: 'Block 9 not found on the ICP ledger' });
        const mint = candidBlock({ kind: 'Mint', to: cmcAccountOfPayer, amount: 1n, memo: MEMO_MINT_CYCLES, timestamp: 1n });
        expect(mintPayment(mint, 0n, cmcAccountOfPayer)).toEqual({ InvalidTransaction: 'Notification transaction must be of type transfer, not Mint' });
        const elsewhere = accountIdentifier(cmc, principalSubaccount(Principal.fromText('aaaaa-aa')));
        expect(mintPayment(payment(elsewhere, MEMO_MINT_CYCLES), 3n, cmcAccountOfPayer)).toMatchObject({ InvalidTransaction: expect.stringContaining('Destination account in the block') });
        expect(mintPayment(payment(cmcAccountOfPayer, 0x41455243n), 3n, cmcAccountOfPayer)).toMatchObject({ InvalidTransaction: expect.stringContaining('Intent in the block (memo 1095062083)') });
    });

    it('answers TransactionTooOld with the first block it still knows for blocks up to the last purged one', () => {
        expect(tooOld(5n, 5n)).toEqual({ TransactionTooOld: 6n });
        expect(tooOld(6n, 5n)).toBeNull();
        expect(tooOld(0n, undefined)).toBeNull();
    });
});
