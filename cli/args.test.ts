import { checkOptions, parseCommandLine, parseTime, positiveInt } from './args';
import { CliError } from './errors';
import { findCommand } from './main';

function usageError(f: () => unknown): CliError {
    try {
        f();
    } catch (error) {
        if (error instanceof CliError) return error;
        throw error;
    }
    throw new Error('expected a CliError');
}

describe('CLI > argument parsing', () => {
    it('splits words and flags, in any order', () => {
        expect(parseCommandLine(['run', 'wf-1', '--input', '{"x":1}', '--json', '--network', 'ic'])).toEqual({ words: ['run', 'wf-1'], options: { input: '{"x":1}', json: true, network: 'ic' } });
        expect(parseCommandLine(['--network=http://h:1', 'health'])).toEqual({ words: ['health'], options: { network: 'http://h:1' } });
    });

    it('refuses unknown flags and flags without their value as usage errors', () => {
        expect(usageError(() => parseCommandLine(['health', '--frobnicate'])).kind).toBe('Usage');
        expect(usageError(() => parseCommandLine(['run', 'wf', '--input'])).kind).toBe('Usage');
    });

    it('refuses flags the command does not take, but always accepts global ones', () => {
        expect(() => checkOptions({ json: true, network: 'ic' }, [], 'health')).not.toThrow();
        expect(usageError(() => checkOptions({ cron: '* * * * *' }, ['input'], 'run')).message).toBe('run does not take --cron');
    });

    it('finds the longest matching command and leaves the rest as arguments', () => {
        expect(findCommand(['workflow', 'create', 'f.json'])?.command.words).toEqual(['workflow', 'create']);
        expect(findCommand(['workflow', 'create', 'f.json'])?.args).toEqual(['f.json']);
        expect(findCommand(['emergency', 'off'])?.command.words).toEqual(['emergency', 'off']);
        expect(findCommand(['run', 'wf-1'])?.args).toEqual(['wf-1']);
        expect(findCommand(['workflow'])).toBeUndefined();
    });

    it.each([
        ['10', 10],
        [undefined, 7]
    ])('positiveInt(%p) = %p', (value, expected) => expect(positiveInt(value, 'limit', 7)).toBe(expected));

    it.each(['0', '-1', '1.5', 'ten'])('positiveInt refuses %p', (value) => expect(usageError(() => positiveInt(value, 'limit', 1)).message).toContain('--limit'));

    it('reads --at as ISO-8601 or Unix seconds, in IC nanoseconds', () => {
        expect(parseTime('2030-01-01T00:00:00Z', 'at')).toBe(1_893_456_000_000_000_000n);
        expect(parseTime('1893456000', 'at')).toBe(1_893_456_000_000_000_000n);
        expect(usageError(() => parseTime('tomorrow-ish', 'at')).kind).toBe('Usage');
    });
});
