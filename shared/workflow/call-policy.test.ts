import { Principal } from '@dfinity/principal';

import { refuseCallTarget, refusedCallOf } from './call-policy';
import { BACKUP_ORACLE, LENDING, ORACLE, liquidationWorkflow } from './testing';

const orchestrator = Principal.fromText('ryjl3-tyaaa-aaaaa-aaaba-cai');
const oracle = Principal.fromText(ORACLE);
const lending = Principal.fromText(LENDING);
const rule = { protectedCanisters: [orchestrator] };

describe('Call policy > targets', () => {
    it('refuses the management canister', () => {
        expect(refuseCallTarget(Principal.fromText('aaaaa-aa'), rule)).toBe('ManagementCanister');
        expect(refuseCallTarget(Principal.fromUint8Array(new Uint8Array()), rule)).toBe('ManagementCanister');
    });

    it('refuses principals that are not canister ids (a subnet id reaches the management canister too)', () => {
        // A subnet id is self-authenticating (class byte 0x02), like a user's principal.
        const subnetLike = Principal.fromUint8Array(new Uint8Array([...new Uint8Array(28).fill(7), 0x02]));
        expect(refuseCallTarget(subnetLike, rule)).toBe('NotACanister');
        expect(refuseCallTarget(Principal.anonymous(), rule)).toBe('NotACanister');
    });

    it('refuses a DeFlow canister however its principal was spelled', () => {
        expect(refuseCallTarget(orchestrator, rule)).toBe('DeflowCanister');
        // The JSON spelling parses to the same bytes: the rule compares bytes, not text.
        const alias = Principal.fromText(JSON.stringify({ __principal__: orchestrator.toText() }));
        expect(refuseCallTarget(alias, rule)).toBe('DeflowCanister');
        expect(refuseCallTarget(Principal.fromUint8Array(Uint8Array.from(orchestrator.toUint8Array())), rule)).toBe('DeflowCanister');
    });

    it('allows other canisters, and only the allow-listed ones when the owner keeps a list', () => {
        expect(refuseCallTarget(oracle, rule)).toBeUndefined();
        expect(refuseCallTarget(oracle, { ...rule, allowList: [] })).toBeUndefined();
        expect(refuseCallTarget(oracle, { ...rule, allowList: [lending] })).toBe('NotOnAllowList');
        expect(refuseCallTarget(lending, { ...rule, allowList: [lending] })).toBeUndefined();
    });

    it("refuses any owner's agent (a lookup, not a list)", () => {
        const isAgent = (p: Principal) => p.toText() === LENDING;
        expect(refuseCallTarget(lending, { ...rule, isAgent })).toBe('DeflowCanister');
        expect(refuseCallTarget(oracle, { ...rule, isAgent })).toBeUndefined();
    });

    it('refuses a protected canister even when the owner allow-lists it', () => {
        expect(refuseCallTarget(orchestrator, { ...rule, allowList: [orchestrator] })).toBe('DeflowCanister');
    });
});

describe('Call policy > definitions', () => {
    it('answers the first refused call node, with its target and reason', () => {
        const def = liquidationWorkflow();
        expect(refusedCallOf(def, rule)).toEqual({ nodeId: 'backup_price', target: Principal.fromText(BACKUP_ORACLE), reason: 'DeflowCanister' });
        expect(refusedCallOf(def, { protectedCanisters: [] })).toBeUndefined();
        expect(refusedCallOf(def, { protectedCanisters: [], allowList: [oracle, Principal.fromText(BACKUP_ORACLE)] })).toMatchObject({ nodeId: 'repay', reason: 'NotOnAllowList' });
    });
});
