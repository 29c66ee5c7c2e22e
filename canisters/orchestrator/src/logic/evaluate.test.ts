import type { CompareOp, JsonValue, Operand } from '../../../../shared/workflow';
import { compareJson, evaluateComparison, evaluateCondition, evaluateTransform, type EvalContext } from './evaluate';

const ctx: EvalContext = {
    input: { threshold: 100, name: 'btc', list: [1, 2] },
    output: (id) => (({ price: { e8s: 90, big: '123456789012345678901234' }, flag: true, none: null }) as Record<string, JsonValue>)[id],
    error: (id) => (id === 'swap' ? { kind: 'ReplyErr', case: 'Err', value: { InsufficientFunds: { balance: 3 } } } : undefined)
};
const c = (json: string): Operand => ({ kind: 'Const', json });
const n = (nodeId: string, path: string): Operand => ({ kind: 'Node', nodeId, path });
const i = (path: string): Operand => ({ kind: 'Input', path });

describe('Orchestrator > conditions', () => {
    const cases: [string, Operand, CompareOp, Operand | undefined, boolean][] = [
        ['lt numbers', n('price', 'e8s'), 'Lt', i('threshold'), true],
        ['ge numbers', n('price', 'e8s'), 'Ge', i('threshold'), false],
        ['le equal', c('5'), 'Le', c('5'), true],
        ['gt with big integer string, exact', n('price', 'big'), 'Gt', c('"123456789012345678901233"'), true],
        ['eq number and integer string', c('100'), 'Eq', c('"100"'), true],
        ['eq objects structurally', c('{"a":[1,{"b":2}]}'), 'Eq', c('{"a":[1,{"b":2}]}'), true],
        ['ne strings', i('name'), 'Ne', c('"eth"'), true],
        ['lt strings', c('"a"'), 'Lt', c('"b"'), true],
        ['eq booleans', n('flag', ''), 'Eq', c('true'), true],
        ['exists on a present path', i('list.1'), 'Exists', undefined, true],
        ['exists on a null output', n('none', ''), 'Exists', undefined, true],
        ['exists on a missing path', i('list.5'), 'Exists', undefined, false],
        ['exists on a node with no output', n('skipped', 'x'), 'Exists', undefined, false]
    ];
    it.each(cases)('%s', (_l, left, op, right, expected) => {
        expect(evaluateComparison({ left, op, right }, ctx)).toEqual({ ok: true, value: expected });
    });

    it('fails on type mismatch instead of picking a branch', () => {
        expect(compareJson('Lt', 'abc', 5)).toEqual({ ok: false, error: { kind: 'TypeMismatch', op: 'Lt', left: 'string', right: 'number' } });
        expect(compareJson('Gt', true, false).ok).toBe(false);
    });

    it('fails when an operand is missing', () => {
        expect(evaluateComparison({ left: n('price', 'nope'), op: 'Eq', right: c('1') }, ctx)).toEqual({ ok: false, error: { kind: 'Missing', what: 'price.nope' } });
    });

    it('combines clauses with All/Any, short-circuiting', () => {
        const t = { left: c('1'), op: 'Eq' as const, right: c('1') };
        const f = { left: c('1'), op: 'Eq' as const, right: c('2') };
        const bad = { left: c('"x"'), op: 'Lt' as const, right: c('1') };
        expect(evaluateCondition({ mode: 'All', clauses: [t, t] }, ctx)).toEqual({ ok: true, value: true });
        expect(evaluateCondition({ mode: 'All', clauses: [t, f, bad] }, ctx)).toEqual({ ok: true, value: false });
        expect(evaluateCondition({ mode: 'Any', clauses: [f, t, bad] }, ctx)).toEqual({ ok: true, value: true });
        expect(evaluateCondition({ mode: 'Any', clauses: [f, f] }, ctx)).toEqual({ ok: true, value: false });
        expect(evaluateCondition({ mode: 'Any', clauses: [f, bad] }, ctx).ok).toBe(false);
    });
});

describe('Orchestrator > transforms', () => {
    it('builds an object from constants and paths; missing paths become null', () => {
        const r = evaluateTransform(
            { fields: [{ key: 'price', value: n('price', 'e8s') }, { key: 'who', value: i('name') }, { key: 'k', value: c('[1,2]') }, { key: 'gone', value: n('skipped', '') }] },
            ctx
        );
        expect(r).toEqual({ ok: true, value: { price: 90, who: 'btc', k: [1, 2], gone: null } });
    });

    it('fails on a constant that is not JSON', () => {
        expect(evaluateTransform({ fields: [{ key: 'x', value: c('{') }] }, ctx).ok).toBe(false);
    });
});

describe('Orchestrator > error operands', () => {
    const e = (nodeId: string, path: string): Operand => ({ kind: 'Error', nodeId, path });
    it.each<[string, Operand, JsonValue | 'missing']>([
        ['the failure case', e('swap', 'case'), 'Err'],
        ['a field inside the error value', e('swap', 'value.InsufficientFunds.balance'), 3],
        ['a node that did not fail', e('price', 'kind'), 'missing'],
        ['a path that leads nowhere', e('swap', 'value.Other'), 'missing']
    ])('reads %s', (_label, operand, expected) => {
        const r = evaluateTransform({ fields: [{ key: 'x', value: operand }] }, ctx);
        expect(r).toEqual({ ok: true, value: { x: expected === 'missing' ? null : expected } });
    });
});
