import { build } from 'esbuild';
import { runInNewContext } from 'node:vm';

/**
 * The jest test in cron.test.ts loads modules the Node way; a canister gets an esbuild ESM
 * bundle. This bundles cron.ts with Azle 0.33's stable-mode esbuild options
 * (azle/src/stable/build/commands/build/javascript.ts) and runs it in a fresh V8 context with
 * Intl deleted, as in QuickJS. It caught luxon being bundled twice (ESM + CommonJS builds).
 */
describe('Scheduler > cron > as bundled for a canister', () => {
    it('bundles without fs, with one luxon copy, and computes next runs without Intl', async () => {
        const result = await build({
            stdin: {
                contents: "import { nextCronAfter, validateCron } from './cron'; globalThis.__next = nextCronAfter; globalThis.__validate = validateCron;",
                resolveDir: __dirname,
                loader: 'ts'
            },
            format: 'esm',
            bundle: true,
            treeShaking: true,
            write: false,
            logLevel: 'silent',
            target: 'es2024',
            preserveSymlinks: true,
            metafile: true
        });
        const inputs = Object.keys(result.metafile.inputs);
        expect(inputs.filter((i) => i.includes('node_modules/luxon/'))).toHaveLength(1);
        expect(inputs.some((i) => i.includes('CronFileParser'))).toBe(false);
        const code = result.outputFiles[0]?.text ?? '';
        // Azle provides TextEncoder/TextDecoder (used by @dfinity/candid); a bare V8 context does not.
        const context: { TextEncoder: typeof TextEncoder; TextDecoder: typeof TextDecoder; __next?: (e: string, after: bigint) => bigint | undefined; __validate?: (e: string, now: bigint) => object } = {
            TextEncoder,
            TextDecoder
        };
        runInNewContext(`delete globalThis.Intl; if (typeof Intl !== 'undefined') throw new Error('Intl still there');\n${code}`, context);
        const next = context.__next;
        if (next === undefined) throw new Error('bundle did not run');
        const from = BigInt(Date.parse('2025-01-01T00:00:00Z')) * 1_000_000n;
        const iso = (e: string): string => new Date(Number(String(next(e, from))) / 1e6).toISOString();
        expect(iso('*/5 * * * *')).toBe('2025-01-01T00:05:00.000Z');
        expect(iso('0 9 * * 1-5')).toBe('2025-01-01T09:00:00.000Z');
        expect(iso('0 0 1 * *')).toBe('2025-02-01T00:00:00.000Z');
        expect(iso('@daily')).toBe('2025-01-02T00:00:00.000Z');
        expect(iso('0 0 29 2 *')).toBe('2028-02-29T00:00:00.000Z');
        expect(iso('30 * * * * *')).toBe('2025-01-01T00:00:30.000Z');
        expect(JSON.stringify(context.__validate?.('61 * * * *', from))).toContain('kind.Cron.expression');
    }, 30_000);
});
