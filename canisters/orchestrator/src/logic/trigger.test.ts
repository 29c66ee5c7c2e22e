import { Principal } from '@dfinity/principal';

import { isCanisterPrincipal, triggerForCaller } from './trigger';

const canister = Principal.fromText('rrkah-fqaaa-aaaaa-aaaaq-cai');
const user = Principal.selfAuthenticating(new Uint8Array(44).fill(7));
const derived = Principal.fromUint8Array(new Uint8Array([1, 2, 3, 0x03]));

describe('Orchestrator > start_execution trigger', () => {
    const cases: [string, Principal, ReturnType<typeof triggerForCaller>][] = [
        ['a canister (opaque id, class 0x01) is a dapp', canister, { kind: 'Dapp', canister: canister.toText() }],
        ['a user key (self-authenticating, class 0x02) is manual', user, { kind: 'Manual' }],
        ['a derived id (class 0x03) is manual', derived, { kind: 'Manual' }],
        ['the anonymous principal (class 0x04) is manual', Principal.anonymous(), { kind: 'Manual' }],
        ['the management canister (empty id) is manual', Principal.managementCanister(), { kind: 'Manual' }]
    ];

    it.each(cases)('%s', (_label, caller, expected) => {
        expect(triggerForCaller(caller)).toEqual(expected);
    });

    it('decides by the last byte only', () => {
        expect(isCanisterPrincipal(Principal.fromUint8Array(new Uint8Array([0x02, 0x01])))).toBe(true);
        expect(isCanisterPrincipal(Principal.fromUint8Array(new Uint8Array([0x01, 0x02])))).toBe(false);
    });
});
