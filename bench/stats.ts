/** Small helpers shared by the benchmark sections: timing, medians and a printed table. */
export function median(samples: number[]): number {
    if (samples.length === 0) return Number.NaN;
    const sorted = [...samples].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Runs `body` `runs` times (after `warmup` unmeasured runs) and returns the samples in ms. */
export async function sample(runs: number, body: (run: number) => Promise<unknown> | unknown, warmup = 1): Promise<number[]> {
    for (let i = 0; i < warmup; i++) await body(-1 - i);
    const samples: number[] = [];
    for (let run = 0; run < runs; run++) {
        const started = process.hrtime.bigint();
        await body(run);
        samples.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    return samples;
}

export type Row = { name: string; value: string; note?: string };

export function formatMs(ms: number): string {
    return ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : ms < 1000 ? `${ms.toFixed(2)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

export function ratioRow(name: string, numerator: number, denominator: number, target: number, higherIsWorse = true): Row {
    const ratio = numerator / denominator;
    const met = higherIsWorse ? ratio <= target : ratio >= target;
    return { name, value: `${ratio.toFixed(2)}×`, note: `target ${higherIsWorse ? '≤' : '≥'} ${target} ${met ? '(met)' : '(NOT met)'}` };
}

export function printSection(title: string, rows: Row[]): void {
    console.log(`\n## ${title}`);
    const width = Math.max(...rows.map((r) => r.name.length));
    for (const row of rows) console.log(`  ${row.name.padEnd(width)}  ${row.value.padStart(12)}${row.note ? `  ${row.note}` : ''}`);
}
