import { cronOccurrencesBackwards, countCronOccurrences, nextCronAfter, validateCron } from './cron';
import { isoNs, nsIso } from './time';

const FROM = isoNs('2025-01-01T00:00:00Z'); // a Wednesday

describe('Scheduler > cron', () => {
    describe.each([
        ['*/5 * * * *', ['2025-01-01T00:05:00.000Z', '2025-01-01T00:10:00.000Z', '2025-01-01T00:15:00.000Z']],
        ['0 9 * * 1-5', ['2025-01-01T09:00:00.000Z', '2025-01-02T09:00:00.000Z', '2025-01-03T09:00:00.000Z', '2025-01-06T09:00:00.000Z']],
        ['0 0 1 * *', ['2025-02-01T00:00:00.000Z', '2025-03-01T00:00:00.000Z']],
        ['@daily', ['2025-01-02T00:00:00.000Z', '2025-01-03T00:00:00.000Z']],
        ['*/20 * * * * *', ['2025-01-01T00:00:20.000Z', '2025-01-01T00:00:40.000Z', '2025-01-01T00:01:00.000Z']],
        ['0 0 29 2 *', ['2028-02-29T00:00:00.000Z', '2032-02-29T00:00:00.000Z']]
    ])('%s', (expression, expected) => {
        it('steps through the expected UTC times', () => {
            const got: string[] = [];
            let t = FROM;
            for (let i = 0; i < expected.length; i += 1) {
                const next = nextCronAfter(expression, t);
                if (next === undefined) throw new Error('no next');
                got.push(nsIso(next));
                t = next;
            }
            expect(got).toEqual(expected);
        });
    });

    it('is strictly after the given time, also with sub-millisecond nanoseconds', () => {
        const onBoundary = isoNs('2025-01-01T00:05:00Z');
        expect(nextCronAfter('*/5 * * * *', onBoundary)).toBe(isoNs('2025-01-01T00:10:00Z'));
        expect(nextCronAfter('*/5 * * * *', onBoundary - 1n)).toBe(onBoundary);
        expect(nextCronAfter('*/5 * * * *', onBoundary + 1n)).toBe(isoNs('2025-01-01T00:10:00Z'));
    });

    it('walks backwards and counts occurrences in a window', () => {
        const to = isoNs('2025-01-01T01:00:00Z');
        expect(cronOccurrencesBackwards('*/15 * * * *', FROM, to, 3).map(nsIso)).toEqual([
            '2025-01-01T01:00:00.000Z',
            '2025-01-01T00:45:00.000Z',
            '2025-01-01T00:30:00.000Z'
        ]);
        expect(cronOccurrencesBackwards('*/15 * * * *', FROM, to, 10)).toHaveLength(5);
        expect(countCronOccurrences('*/15 * * * *', FROM, to, 100)).toBe(5);
        expect(countCronOccurrences('* * * * * *', FROM, to, 100)).toBe(100);
    });

    describe('validation', () => {
        it.each(['*/5 * * * *', '0 9 * * 1-5', '@daily', '@weekly', '0 */10 * * * *', '0 0 29 2 *'])('accepts %s', (expression) => {
            expect(validateCron(expression, FROM)).toEqual({ Ok: null });
        });
        it.each(['', '* * *', '* * * * * * *', '61 * * * *', '0 25 * * *', 'bad', '@sometimes', '0 0 31 2 *'])('rejects %j on kind.Cron.expression', (expression) => {
            const result = validateCron(expression, FROM);
            expect('Err' in result && 'InvalidInput' in result.Err && result.Err.InvalidInput.field).toBe('kind.Cron.expression');
        });
    });

    it('works with globalThis.Intl removed, as inside QuickJS', () => {
        const saved = globalThis.Intl;
        const g = globalThis as { Intl?: typeof Intl };
        delete g.Intl;
        try {
            expect(typeof g.Intl).toBe('undefined');
            jest.isolateModules(() => {
                // A fresh module registry: luxon and cron-parser initialise without Intl.
                const fresh = require('./cron') as typeof import('./cron');
                const expectations: [string, string][] = [
                    ['*/5 * * * *', '2025-01-01T00:05:00.000Z'],
                    ['0 9 * * 1-5', '2025-01-01T09:00:00.000Z'],
                    ['0 0 1 * *', '2025-02-01T00:00:00.000Z'],
                    ['@daily', '2025-01-02T00:00:00.000Z'],
                    ['0 0 29 2 *', '2028-02-29T00:00:00.000Z'],
                    ['30 * * * * *', '2025-01-01T00:00:30.000Z']
                ];
                for (const [expression, first] of expectations) {
                    const next = fresh.nextCronAfter(expression, FROM);
                    expect(next === undefined ? 'none' : nsIso(next)).toBe(first);
                }
                expect(fresh.validateCron('61 * * * *', FROM)).toHaveProperty('Err.InvalidInput.field', 'kind.Cron.expression');
            });
        } finally {
            g.Intl = saved;
        }
    });
});
