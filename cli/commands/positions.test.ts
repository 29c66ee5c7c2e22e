import { Principal } from '@dfinity/principal';

import { liquidationLine, managerLines, managerOf } from './positions';

const lending = Principal.fromText('rrkah-fqaaa-aaaaa-aaaaq-cai');
const base = { execution_id: 'ex-0000000004', node_id: 'repay', requested_at: 0n, finished_at: [] as [] };

describe('CLI > position manager and liquidations', () => {
    it('parses the manager and refuses a canister id that does not parse', () => {
        expect(managerOf(lending.toText(), 'liquidate', '(record { position: text })', '(variant { Ok: nat; Err: text })')).toEqual({ canister: lending, method: 'liquidate', arg_types: '(record { position: text })', reply_types: '(variant { Ok: nat; Err: text })' });
        expect(() => managerOf('not-a-principal', 'liquidate', '()', '()')).toThrow('not a canister id');
    });

    it('says what an unset manager means', () => {
        expect(managerLines(undefined).join('\n')).toContain('refused');
        expect(managerLines({ canister: lending, method: 'liquidate', arg_types: '()', reply_types: '()' }).join('\n')).toContain(lending.toText());
    });

    it('shows each outcome with its reason', () => {
        const target = [{ canister: lending, method: 'liquidate' }] as [{ canister: Principal; method: string }];
        expect(liquidationLine({ ...base, target, status: { Succeeded: { output: '{"Ok":1}' } } })).toContain(`${lending.toText()}.liquidate  Succeeded {"Ok":1}`);
        expect(liquidationLine({ ...base, target: [], status: { Refused: { NoPositionManager: null } } })).toContain('ex-0000000004/repay  -  Refused: NoPositionManager');
        expect(liquidationLine({ ...base, target, status: { Refused: { CallRefused: { NotOnAllowList: null } } } })).toContain('CallRefused (NotOnAllowList)');
        const failed = { kind: { ReplyErr: null }, message: 'reply case Err: "not the position owner"', reject_code: [] as [], case: ['Err'] as [string], detail: [] as [], value: ['"not the position owner"'] as [string] };
        expect(liquidationLine({ ...base, target, status: { Failed: failed } })).toContain('Failed (ReplyErr): reply case Err: "not the position owner"');
        expect(liquidationLine({ ...base, target, status: { Pending: null } })).toContain('Pending');
    });
});
