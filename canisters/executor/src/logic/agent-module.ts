/**
 * The agent module as the executor keeps it: chunks of at most 1 MiB (what the management
 * canister's `upload_chunk` takes, so each goes into an agent's chunk store as it is), named
 * by the sha256 the uploader gives, and a module naming its chunks in order plus the sha256 of
 * the whole. The executor hashes nothing (in the canister, 1 MiB of sha256 costs about 28B of
 * the 40B instructions of an update message): the management canister checks both hashes when
 * it installs an agent (see {@link chunkHashMismatch} and {@link moduleHashMismatch}).
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
 * Why a chunk with this claimed sha256 cannot be stored, or undefined. `stored`: chunks already kept.
 *
 * @example
 * chunkRefusal(new Uint8Array(0), new Uint8Array(32), 0) // { InvalidInput: { field: 'chunk', ... } }
 */
export function chunkRefusal(chunk: Uint8Array, sha256: Uint8Array, stored: number): ApiError | undefined {
    if (chunk.length === 0 || chunk.length > MAX_CHUNK_BYTES) return apiError.invalidInput('chunk', `1 to ${MAX_CHUNK_BYTES} bytes`);
    if (sha256.length !== SHA256_BYTES) return apiError.invalidInput('sha256', 'a 32-byte sha256');
    if (stored >= MAX_MODULE_CHUNKS) return apiError.limitExceeded('agent module chunks (set_agent_module removes the ones it does not name)', BigInt(MAX_MODULE_CHUNKS));
    return undefined;
}

/**
 * Why a module naming these chunks cannot be set, or undefined. `isStored` says whether a chunk
 * with this hash (hex) was uploaded.
 */
export function moduleRefusal(chunkHashes: Uint8Array[], wasmModuleHash: Uint8Array, isStored: (hashHex: string) => boolean): ApiError | undefined {
    if (chunkHashes.length === 0 || chunkHashes.length > MAX_MODULE_CHUNKS) return apiError.invalidInput('chunk_hashes', `1 to ${MAX_MODULE_CHUNKS} chunks`);
    if ([wasmModuleHash, ...chunkHashes].some((h) => h.length !== SHA256_BYTES)) return apiError.invalidInput('chunk_hashes', 'every hash is a 32-byte sha256');
    const missing = chunkHashes.find((hash) => !isStored(hexOf(hash)));
    return missing === undefined ? undefined : apiError.notFound('agent module chunk (upload_agent_module_chunk)', hexOf(missing));
}

/**
 * Why an uploaded chunk is not the one the module names, or undefined: `expected` is the hash
 * it was uploaded to the executor under, `computed` what the management canister's
 * `upload_chunk` answered for its bytes.
 *
 * @example
 * chunkHashMismatch(a, a) // undefined
 */
export function chunkHashMismatch(expected: Uint8Array, computed: Uint8Array): string | undefined {
    const [e, c] = [hexOf(expected), hexOf(computed)];
    return e === c ? undefined : `chunk ${e} of the agent module has the sha256 ${c}: upload the module again (upload_agent_module_chunk, set_agent_module)`;
}

/** CanisterError: the reject code of the management canister's refusal of an install (IC0536 CanisterContractViolation). */
const CANISTER_ERROR = 5;

/**
 * What the management canister answers for an `install_chunked_code` whose assembled chunks
 * do not hash to `wasm_module_hash`: the replica's text (canister manager, "Wasm module hash
 * [..] does not match given hash WasmHash([..])", the hashes as Rust byte arrays) and
 * deflow-localnet's ("the assembled module's hash .. does not match wasm_module_hash ..").
 */
const MODULE_HASH_MISMATCH = [/Wasm module hash .* does not match given hash/, /does not match wasm_module_hash/];

/**
 * Why the module named by `set_agent_module` cannot be installed, when the management
 * canister refused `install_chunked_code` (reject `code`, `message`) because its chunks, each
 * what its hash says (the executor checked `upload_chunk`'s answers), do not assemble into a
 * module of the declared sha256 `declared`; undefined for any other reject (an agent out of
 * cycles, a full subnet: those may pass). The executor cannot hash the module itself (1 MiB of
 * sha256 costs most of a message's instructions), so this refusal is where it learns of it.
 *
 * @example
 * moduleHashMismatch(hash, 5, 'Error from Wasm chunk store: Wasm module hash [1, ..] does not match given hash WasmHash([2, ..]).') // 'the chunks of the agent module do not assemble into a module of the sha256 <hex of hash> ...'
 */
export function moduleHashMismatch(declared: Uint8Array, code: number, message: string): string | undefined {
    if (code !== CANISTER_ERROR || !MODULE_HASH_MISMATCH.some((text) => text.test(message))) return undefined;
    return `the chunks of the agent module do not assemble into a module of the sha256 ${hexOf(declared)} named by set_agent_module (the management canister: ${message}): set the module again with the sha256 of the whole (set_agent_module)`;
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
