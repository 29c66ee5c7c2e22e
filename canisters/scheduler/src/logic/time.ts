/** IC time is nanoseconds since the Unix epoch as `bigint` (nat64); these keep the unit explicit. */
export const NS_PER_SECOND = 1_000_000_000n;
export const seconds = (s: number | bigint): bigint => BigInt(s) * NS_PER_SECOND;
export const minutes = (m: number | bigint): bigint => BigInt(m) * 60n * NS_PER_SECOND;
export const hours = (h: number | bigint): bigint => BigInt(h) * 3600n * NS_PER_SECOND;

/** ns since epoch for an ISO date, for tests and examples. @example isoNs('2025-01-01T00:00:00Z') */
export function isoNs(iso: string): bigint {
    return BigInt(Date.parse(iso)) * 1_000_000n;
}

/** ISO text for ns since epoch (ms precision), for messages and test names. */
export function nsIso(ns: bigint): string {
    return new Date(Number(ns / 1_000_000n)).toISOString();
}

export const maxBig = (a: bigint, b: bigint): bigint => (a > b ? a : b);
export const minBig = (a: bigint, b: bigint): bigint => (a < b ? a : b);
