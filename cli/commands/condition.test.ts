import { CliError } from '../errors';
import { conditionText, conditionTriggerOf } from './condition';
import { scheduleKindOf, stateText } from './schedule';

const ORACLE = 'rrkah-fqaaa-aaaaa-aaaaq-cai';
const WHEN = { every: 30, canister: ORACLE, method: 'get_price', replyTypes: '(record { price_e8s: nat64 })', path: 'price_e8s', op: 'Lt', value: 60000000 };

describe('cli > schedule add --when', () => {
    it('turns the JSON description into a condition trigger (no-argument call by default)', () => {
        const t = conditionTriggerOf(WHEN);
        expect(t).toEqual({
            every_seconds: 30n,
            read: { canister: expect.anything(), method: 'get_price', args: new Uint8Array([0x44, 0x49, 0x44, 0x4c, 0, 0]), reply_types: '(record { price_e8s: nat64 })' },
            path: 'price_e8s',
            op: { Lt: null },
            value: '60000000',
            cooldown_seconds: 0n
        });
        expect(t.read.canister.toText()).toBe(ORACLE);
        expect(conditionText(t)).toBe('when get_price price_e8s Lt 60000000 (every 30s)');
    });

    it('names the bad field', () => {
        expect(() => conditionTriggerOf({ ...WHEN, op: 'Below' })).toThrow(CliError);
        expect(() => conditionTriggerOf({ ...WHEN, op: 'Below' })).toThrow(/^--when: op /);
        expect(() => conditionTriggerOf({ ...WHEN, canister: 'nope' })).toThrow(/canister "nope" is not a principal/);
        expect(() => conditionTriggerOf({ ...WHEN, extra: 1 })).toThrow(/--when/);
    });

    it('--when is one of the exclusive kinds', () => {
        expect('Condition' in scheduleKindOf({ when: JSON.stringify(WHEN) })).toBe(true);
        expect(() => scheduleKindOf({ when: JSON.stringify(WHEN), every: '60' })).toThrow(/exactly one of/);
    });
});

describe('cli > schedule state', () => {
    it('shows why a schedule follows its workflow', () => {
        const base = { paused: false, hold: [] as [], next_due_at: [1n] as [bigint] };
        expect(stateText({ ...base } as never)).toBe('active');
        expect(stateText({ ...base, hold: [{ WorkflowPaused: null }] } as never)).toBe('held: workflow paused');
        expect(stateText({ ...base, hold: [{ InputRejected: { field: 'input.x', message: 'required by the workflow' } }] } as never)).toBe('held: input rejected (input.x required by the workflow)');
        expect(stateText({ ...base, paused: true, hold: [{ WorkflowDeleted: null }] } as never)).toBe('paused');
    });
});
