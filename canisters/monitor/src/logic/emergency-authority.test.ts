import { Principal } from '@dfinity/principal';
import { MAX_EMERGENCY_REFUSALS, NO_EMERGENCY_AUTHORITY, type EmergencyAuthority, type RaiseEmergencyRequest } from '../../../../shared/monitoring/emergency';
import { raiseForOwner, setEmergencyOwner } from './emergency-authority';
import { ADMIN, EXEC, ORCH, SCHED, STRANGER, T0, freshState } from './test-fixtures';

const OWNER = Principal.fromUint8Array(new Uint8Array([1, 2, 3]));
const OTHER = Principal.fromUint8Array(new Uint8Array([4, 5, 6]));
const PEERS = [ORCH, SCHED, EXEC];
const adminCheck = { admins: [ADMIN], caller_is_controller: false };
const allowed: EmergencyAuthority = { ...NO_EMERGENCY_AUTHORITY, owners: [OWNER] };
const raise = (owner: Principal, mode: 'Safe' | 'Emergency' = 'Emergency'): RaiseEmergencyRequest => ({ owner, mode: mode === 'Safe' ? { Safe: null } : { Emergency: null }, reason: 'emergency action of node repay in execution ex-1' });

describe('Monitor > emergency authority of workflow owners', () => {
    describe('set_emergency_owner', () => {
        it.each<[string, Principal, boolean, EmergencyAuthority, string[] | 'Unauthorized']>([
            ['an admin allows an owner', ADMIN, true, NO_EMERGENCY_AUTHORITY, [OWNER.toText()]],
            ['allowing twice keeps one entry', ADMIN, true, allowed, [OWNER.toText()]],
            ['an admin withdraws the permission', ADMIN, false, allowed, []],
            ['a stranger may not', STRANGER, true, NO_EMERGENCY_AUTHORITY, 'Unauthorized'],
            ['the owner may not allow itself', OWNER, true, NO_EMERGENCY_AUTHORITY, 'Unauthorized']
        ])('%s', (_label, caller, allow, before, expected) => {
            const r = setEmergencyOwner(before, { owner: OWNER, allowed: allow }, caller, adminCheck);
            if (expected === 'Unauthorized') expect(r).toEqual({ Err: { Unauthorized: { caller } } });
            else expect('Ok' in r && r.Ok.owners.map((o) => o.toText())).toEqual(expected);
        });
    });

    describe('raise_emergency_for_owner', () => {
        it('an allowed owner raises emergency mode: changed by the owner, logged, pushed to every peer', () => {
            const r = raiseForOwner(freshState(), allowed, raise(OWNER), PEERS, T0);
            const expected = { mode: { Emergency: null }, reason: 'emergency action of node repay in execution ex-1', changed_at: T0, changed_by: [OWNER] };
            expect(r.answer).toEqual({ Ok: expected });
            expect(r.state.emergency).toEqual(expected);
            expect(r.effects.map((e) => e.type === 'PropagateEmergency' && e.target.toText())).toEqual(PEERS.map((p) => p.toText()));
            expect(r.state.notifications.map((n) => n.level)).toEqual([{ Critical: null }]);
            expect(r.authority).toBe(allowed);
        });

        it('an owner not allowed is refused, typed, and the refusal recorded and logged; the mode stays', () => {
            const r = raiseForOwner(freshState(), allowed, raise(OTHER, 'Safe'), PEERS, T0);
            expect(r.answer).toEqual({ Err: { OwnerNotAllowed: { owner: OTHER } } });
            expect(r.state.emergency.mode).toEqual({ Normal: null });
            expect(r.effects).toEqual([]);
            expect(r.authority.refusals).toEqual([{ id: 1n, owner: OTHER, mode: { Safe: null }, reason: 'emergency action of node repay in execution ex-1', at: T0 }]);
            expect(r.authority.refused_total).toBe(1n);
            expect(r.state.notifications).toEqual([expect.objectContaining({ level: { Warning: null }, message: expect.stringContaining(OTHER.toText()) })]);
        });

        it('keeps the latest refusals only, counting all', () => {
            let auth = NO_EMERGENCY_AUTHORITY;
            for (let i = 0; i < MAX_EMERGENCY_REFUSALS + 5; i++) auth = raiseForOwner(freshState(), auth, raise(OTHER), PEERS, T0 + BigInt(i)).authority;
            expect(auth.refusals).toHaveLength(MAX_EMERGENCY_REFUSALS);
            expect(auth.refusals[0]?.id).toBe(6n);
            expect(auth.refused_total).toBe(BigInt(MAX_EMERGENCY_REFUSALS + 5));
        });

        it.each<[string, 'Safe' | 'Emergency', 'Safe' | 'Emergency']>([
            ['emergency again', 'Emergency', 'Emergency'],
            ['safe mode while in emergency (the stronger mode stays)', 'Emergency', 'Safe'],
            ['safe mode again', 'Safe', 'Safe']
        ])('a raise to %s changes nothing and answers the state in force', (_label, inForce, asked) => {
            const before = raiseForOwner(freshState(), allowed, raise(OWNER, inForce), PEERS, T0).state;
            const r = raiseForOwner(before, allowed, raise(OWNER, asked), PEERS, T0 + 1n);
            expect(r.state).toBe(before);
            expect(r.effects).toEqual([]);
            expect(r.answer).toEqual({ Ok: before.emergency });
        });

        it('safe mode may be raised to emergency', () => {
            const safe = raiseForOwner(freshState(), allowed, raise(OWNER, 'Safe'), PEERS, T0).state;
            expect(raiseForOwner(safe, allowed, raise(OWNER, 'Emergency'), PEERS, T0 + 1n).state.emergency.mode).toEqual({ Emergency: null });
        });
    });
});
