/**
 * The agent module as the executor keeps it: chunks of at most 1 MiB (what the management
 * canister's `upload_chunk` takes, so each goes into an agent's chunk store as it is), named
 * by their sha256, and a module naming its chunks in order plus the sha256 of the whole.
 */
import type { ApiError } from '../../../../shared/common/errors';
import { apiError } from '../../../../shared/common/errors';

/** `upload_chunk` takes at most 1 MiB (IC interface specification). */
export const MAX_CHUNK_BYTES = 1024 * 1024;
/** A module is at most 100 MiB of 1 MiB chunks (IC interface specification, `upload_chunk`); far above any agent. */
export const MAX_MODULE_CHUNKS = 100;
export const SHA256_BYTES = 32;

export function hexOf(bytes: Uint8Array): string {
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Why a chunk cannot be stored, or undefined. `stored`: chunks already kept.
 *
 * @example
 * chunkRefusal(new Uint8Array(0), 0) // { InvalidInput: { field: 'chunk', ... } }
 */
export function chunkRefusal(chunk: Uint8Array, stored: number): ApiError | undefined {
    if (chunk.length === 0 || chunk.length > MAX_CHUNK_BYTES) return apiError.invalidInput('chunk', `1 to ${MAX_CHUNK_BYTES} bytes`);
    if (stored >= MAX_MODULE_CHUNKS) return apiError.limitExceeded('agent module chunks (set_agent_module removes the ones it does not name)', BigInt(MAX_MODULE_CHUNKS));
    return undefined;
}

/**
 * Why a module naming these chunks cannot be set, or undefined. `chunkOf` gives a stored
 * chunk's bytes by hash (hex); `sha256` hashes the assembled module.
 */
export function moduleRefusal(chunkHashes: Uint8Array[], wasmModuleHash: Uint8Array, chunkOf: (hashHex: string) => Uint8Array | undefined, sha256: (bytes: Uint8Array) => Uint8Array): ApiError | undefined {
    if (chunkHashes.length === 0 || chunkHashes.length > MAX_MODULE_CHUNKS) return apiError.invalidInput('chunk_hashes', `1 to ${MAX_MODULE_CHUNKS} chunks`);
    if ([wasmModuleHash, ...chunkHashes].some((h) => h.length !== SHA256_BYTES)) return apiError.invalidInput('chunk_hashes', 'every hash is a 32-byte sha256');
    const chunks: Uint8Array[] = [];
    for (const hash of chunkHashes) {
        const chunk = chunkOf(hexOf(hash));
        if (chunk === undefined) return apiError.notFound('agent module chunk (upload_agent_module_chunk)', hexOf(hash));
        chunks.push(chunk);
    }
    const assembled = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let offset = 0;
    for (const chunk of chunks) {
        assembled.set(chunk, offset);
        offset += chunk.length;
    }
    if (hexOf(sha256(assembled)) !== hexOf(wasmModuleHash)) return apiError.invalidInput('wasm_module_hash', 'is not the sha256 of the chunks assembled in order');
    return undefined;
}

/** At most this many subnets in `set_agent_subnets` (far above the IC's application subnets that matter to one deployment). */
export const MAX_AGENT_SUBNETS = 64;

/** Why a list of agent subnets (principal texts) cannot be set, or undefined. Empty: the executor's own subnet. */
export function agentSubnetsRefusal(subnets: string[]): ApiError | undefined {
    if (subnets.length > MAX_AGENT_SUBNETS) return apiError.limitExceeded('agent subnets', BigInt(MAX_AGENT_SUBNETS));
    if (new Set(subnets).size !== subnets.length) return apiError.invalidInput('subnets', 'a subnet is named twice');
    return undefined;
}

/**
 * The subnet the `ordinal`-th agent (0 for the first) is created on: the configured subnets in
 * turn, so agents spread evenly; undefined (the executor's own subnet) when none is configured.
 *
 * @example
 * agentSubnetFor(['a', 'b'], 3) // 'b'
 */
export function agentSubnetFor(subnets: readonly string[], ordinal: number): string | undefined {
    return subnets.length === 0 ? undefined : subnets[ordinal % subnets.length];
}
