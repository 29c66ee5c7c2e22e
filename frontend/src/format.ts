/** Display formats of the dashboard (pure). IC times are nanoseconds since the epoch. */

export const NS_PER_MS = 1_000_000n;

export function msOfNs(ns: bigint): number {
    return Number(ns / NS_PER_MS);
}

/** `2026-12-02 19:40:07` in UTC, or `—` for no time. */
export function formatTime(ns: bigint | undefined): string {
    if (ns === undefined) return '—';
    return new Date(msOfNs(ns)).toISOString().replace('T', ' ').slice(0, 19);
}

/** `1.23 T` cycles (trillions, as cycles are usually quoted), `450 B` below a trillion. */
export function formatCycles(cycles: bigint): string {
    if (cycles >= 1_000_000_000_000n) return `${(Number(cycles / 10_000_000_000n) / 100).toFixed(2)} T`;
    return `${(Number(cycles / 10_000_000n) / 100).toFixed(2)} B`;
}

export function formatBytes(bytes: bigint): string {
    const n = Number(bytes);
    if (n < 1024) return `${n} B`;
    if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
    return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

export function hex(bytes: Uint8Array): string {
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** `1.2 s`, `350 ms` */
export function formatDuration(ms: number): string {
    return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

/** The tag of a Candid variant (`{ Healthy: null }` → `Healthy`). */
export function tagOf(variant: object): string {
    return Object.keys(variant)[0] ?? '?';
}
