/**
 * Loading canister modules: gunzip, validate, expose the function table and mutable globals,
 * and compile once per module hash.
 *
 * Azle's wasm does not export its function table (needed to run call-back entries named by
 * index in `ic0.call_new`) nor its mutable globals (needed to roll a trapped message back).
 * We append those exports to the export section without touching code bytes, which is fast
 * (a few ms for a 3.5 MB module) and keeps every other section as it was.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

import { encodeU32, headerStart, readSections, Reader, WasmBinaryError } from './wasm-binary';
import { rewriteModule, type RewriteOptions } from './module-rewrite';

export const TABLE_EXPORT = '__localnet_table';
export const GLOBAL_EXPORT_PREFIX = '__localnet_global_';

export type MethodKind = 'update' | 'query' | 'composite_query';

/** A compiled canister module and what it exports, shared by every canister running it. */
export type CanisterModule = {
    /** sha256 of the bytes as installed (still gzipped if they were), as `module_hash` reports. */
    hash: Uint8Array;
    /** The bytes as installed, kept so a saved network can reinstall the exact module. */
    installed: Uint8Array;
    /** Size of the (decompressed) Wasm binary, as `memory_metrics.wasm_binary_size` counts it. */
    binarySize: number;
    module: WebAssembly.Module;
    methods: Map<string, MethodKind>;
    globalExports: string[];
    /** Whether stores report dirty pages (see write-tracking.ts); if not, whole-heap snapshots. */
    tracked: boolean;
    /**
     * Whether the code counts instructions (see metering.ts). If not, only the system API's
     * charges are counted, and instruction limits only stop executions through them.
     */
    metered: boolean;
    hasInit: boolean;
    hasPostUpgrade: boolean;
    hasPreUpgrade: boolean;
    hasHeartbeat: boolean;
    hasGlobalTimer: boolean;
    hasInspectMessage: boolean;
    /** Custom sections named `icp:public <n>` / `icp:private <n>`. */
    metadata: Map<string, { visibility: 'public' | 'private'; content: Uint8Array }>;
};

export class InvalidModuleError extends Error {
    constructor(message: string) {
        super(message);
        this.name = 'InvalidModuleError';
    }
}

function encodeName(name: string): number[] {
    const bytes = new TextEncoder().encode(name);
    return [...encodeU32(bytes.length), ...bytes];
}

/** Skips a constant expression (global initialiser) up to and including its `end`. */
function skipConstExpr(reader: Reader): void {
    for (;;) {
        const op = reader.byte();
        switch (op) {
            case 0x0b:
                return;
            case 0x41:
            case 0x42:
                reader.skipLeb();
                break;
            case 0x43:
                reader.offset += 4;
                break;
            case 0x44:
                reader.offset += 8;
                break;
            case 0x23:
            case 0xd2:
                reader.u32();
                break;
            case 0xd0:
                reader.byte();
                break;
            case 0x6a: // i32.add etc. (extended constant expressions) take no immediates
            case 0x6b:
            case 0x6c:
            case 0x7c:
            case 0x7d:
            case 0x7e:
                break;
            default:
                throw new WasmBinaryError(`unsupported opcode 0x${op.toString(16)} in a constant expression`);
        }
    }
}

/** Returns the module with the table and every mutable global exported, plus the global export names. */
export function exposeTableAndGlobals(bytes: Uint8Array): { bytes: Uint8Array; globalExports: string[] } {
    const sections = readSections(bytes);
    let importedGlobals = 0;
    let importedTables = 0;
    const mutableGlobals: number[] = [];
    let definedTables = 0;
    for (const section of sections) {
        const reader = new Reader(bytes, section.start);
        if (section.id === 2) {
            const count = reader.u32();
            for (let i = 0; i < count; i++) {
                reader.name();
                reader.name();
                const kind = reader.byte();
                if (kind === 0) reader.u32();
                else if (kind === 1) {
                    reader.byte();
                    reader.skipLimits();
                    importedTables++;
                } else if (kind === 2) reader.skipLimits();
                else if (kind === 3) {
                    reader.byte();
                    reader.byte();
                    importedGlobals++;
                } else throw new WasmBinaryError(`unknown import kind ${kind}`);
            }
        } else if (section.id === 4) {
            definedTables = reader.u32();
        } else if (section.id === 6) {
            const count = reader.u32();
            for (let i = 0; i < count; i++) {
                reader.byte();
                const mutable = reader.byte() === 1;
                skipConstExpr(reader);
                if (mutable) mutableGlobals.push(importedGlobals + i);
            }
        }
    }
    const extra: number[] = [];
    let extraCount = 0;
    if (definedTables + importedTables > 0) {
        extra.push(...encodeName(TABLE_EXPORT), 0x01, ...encodeU32(0));
        extraCount++;
    }
    const globalExports = mutableGlobals.map((index) => `${GLOBAL_EXPORT_PREFIX}${index}`);
    mutableGlobals.forEach((index, i) => {
        extra.push(...encodeName(globalExports[i]!), 0x03, ...encodeU32(index));
        extraCount++;
    });
    if (extraCount === 0) return { bytes, globalExports };

    const exportSection = sections.find((s) => s.id === 7);
    let body: number[];
    if (exportSection !== undefined) {
        const reader = new Reader(bytes, exportSection.start);
        const count = reader.u32();
        body = [...encodeU32(count + extraCount), ...bytes.subarray(reader.offset, exportSection.end), ...extra];
    } else {
        body = [...encodeU32(extraCount), ...extra];
    }
    const newSection = Uint8Array.from([0x07, ...encodeU32(body.length), ...body]);
    // Replace the old export section, or insert the new one before the first section that
    // must follow exports (start 8, element 9, data count 12, code 10, data 11).
    let insertAt: number;
    let removeUntil: number;
    if (exportSection !== undefined) {
        insertAt = headerStart(exportSection);
        removeUntil = exportSection.end;
    } else {
        const after = sections.find((s) => [8, 9, 10, 11, 12].includes(s.id));
        insertAt = after === undefined ? bytes.length : headerStart(after);
        removeUntil = insertAt;
    }
    const out = new Uint8Array(insertAt + newSection.length + (bytes.length - removeUntil));
    out.set(bytes.subarray(0, insertAt), 0);
    out.set(newSection, insertAt);
    out.set(bytes.subarray(removeUntil), insertAt + newSection.length);
    return { bytes: out, globalExports };
}


/** The module and field names of every import a module declares. */
function declaredImports(bytes: Uint8Array): Array<{ module: string; name: string }> {
    const section = readSections(bytes).find((s) => s.id === 2);
    if (section === undefined) return [];
    const reader = new Reader(bytes, section.start);
    const imports: Array<{ module: string; name: string }> = [];
    for (let i = reader.u32(); i > 0; i--) {
        const module = reader.name();
        const name = reader.name();
        imports.push({ module, name });
        const kind = reader.byte();
        if (kind === 0) reader.u32();
        else if (kind === 1) {
            reader.byte();
            reader.skipLimits();
        } else if (kind === 2) reader.skipLimits();
        else if (kind === 3) reader.offset += 2;
        else throw new WasmBinaryError(`unknown import kind ${kind}`);
    }
    return imports;
}

function readMetadata(bytes: Uint8Array): CanisterModule['metadata'] {
    const metadata: CanisterModule['metadata'] = new Map();
    for (const section of readSections(bytes)) {
        if (section.id !== 0) continue;
        const reader = new Reader(bytes, section.start);
        const name = reader.name();
        const match = /^icp:(public|private) (.+)$/.exec(name);
        if (match !== null) {
            metadata.set(match[2]!, {
                visibility: match[1] as 'public' | 'private',
                content: bytes.slice(reader.offset, section.end)
            });
        }
    }
    return metadata;
}

const GZIP_MAGIC = [0x1f, 0x8b, 0x08];

export function isGzip(bytes: Uint8Array): boolean {
    return GZIP_MAGIC.every((b, i) => bytes[i] === b);
}

export function sha256(bytes: Uint8Array): Uint8Array {
    return new Uint8Array(createHash('sha256').update(bytes).digest());
}

const EXPORT_PREFIXES: Array<[string, MethodKind]> = [
    ['canister_update ', 'update'],
    ['canister_query ', 'query'],
    ['canister_composite_query ', 'composite_query']
];

/**
 * What the module rewrite does. Defaults: both on; `LOCALNET_WRITE_TRACKING=0` (whole-heap
 * snapshots) and `LOCALNET_METERING=0` (no instruction counting) turn them off, to tell an
 * engine problem from a canister problem and to measure what each costs.
 */
export type ModuleOptions = RewriteOptions & {
    /** Whether rewritten modules are kept on disk for later processes (default: yes). */
    diskCache?: boolean;
};

export function defaultModuleOptions(): ModuleOptions {
    return { trackWrites: process.env.LOCALNET_WRITE_TRACKING !== '0', meter: process.env.LOCALNET_METERING !== '0' };
}

/**
 * Compiles canister modules, caching the result by module hash: installing a module seen
 * before costs only instantiation.
 */
export class ModuleCache {
    private readonly modules = new Map<string, CanisterModule>();

    constructor(readonly options: ModuleOptions = defaultModuleOptions()) {}

    load(installed: Uint8Array): CanisterModule {
        const hash = sha256(installed);
        const key = Buffer.from(hash).toString('hex');
        const cached = this.modules.get(key);
        if (cached !== undefined) return cached;
        let raw: Uint8Array;
        try {
            raw = isGzip(installed) ? new Uint8Array(gunzipSync(installed)) : installed;
        } catch (error) {
            throw new InvalidModuleError(`the gzip-compressed module cannot be decompressed: ${String(error)}`);
        }
        let bytes: Uint8Array;
        let globalExports: string[];
        let rewritten: Uint8Array | null;
        try {
            // Checked on the module as installed: the engine's own helper imports are added by
            // the rewrite, and a module must not reach them itself.
            const badImport = declaredImports(raw).find((i) => i.module !== 'ic0');
            if (badImport !== undefined) {
                throw new InvalidModuleError(`Wasm module imports "${badImport.module}.${badImport.name}"; only ic0 imports are allowed`);
            }
            rewritten = cachedRewrite(key, raw, this.options);
            ({ bytes, globalExports } = exposeTableAndGlobals(rewritten ?? raw));
        } catch (error) {
            if (error instanceof WasmBinaryError) throw new InvalidModuleError(error.message);
            throw error;
        }
        let module: WebAssembly.Module;
        try {
            module = new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>);
        } catch (error) {
            throw new InvalidModuleError(`Wasm module failed to compile: ${error instanceof Error ? error.message : String(error)}`);
        }
        const exportNames = new Set(WebAssembly.Module.exports(module).map((e) => e.name));
        const methods = new Map<string, MethodKind>();
        for (const name of exportNames) {
            for (const [prefix, kind] of EXPORT_PREFIXES) {
                if (name.startsWith(prefix)) {
                    const method = name.slice(prefix.length);
                    if (methods.has(method)) {
                        throw new InvalidModuleError(`Wasm module exports method "${method}" more than once`);
                    }
                    methods.set(method, kind);
                }
            }
        }
        const loaded: CanisterModule = {
            hash,
            installed,
            binarySize: raw.length,
            module,
            methods,
            globalExports,
            tracked: rewritten !== null && this.options.trackWrites,
            metered: rewritten !== null && this.options.meter,
            hasInit: exportNames.has('canister_init'),
            hasPostUpgrade: exportNames.has('canister_post_upgrade'),
            hasPreUpgrade: exportNames.has('canister_pre_upgrade'),
            hasHeartbeat: exportNames.has('canister_heartbeat'),
            hasGlobalTimer: exportNames.has('canister_global_timer'),
            hasInspectMessage: exportNames.has('canister_inspect_message'),
            metadata: readMetadata(raw)
        };
        this.modules.set(key, loaded);
        return loaded;
    }
}

/** Bumped whenever the rewrite changes, so stale cached rewrites are not used. */
const REWRITE_VERSION = 3;
const CACHE_DIR = join(tmpdir(), 'deflow-localnet-cache');

/**
 * The rewrite takes a second or two for an Azle module; keep the result on disk by module
 * hash and options so later server processes (every test run) skip it. The cache is only an
 * accelerator: any failure to read or write it is ignored.
 */
function cachedRewrite(hashHex: string, raw: Uint8Array, options: ModuleOptions): Uint8Array | null {
    if (!options.trackWrites && !options.meter) return null;
    if (options.diskCache === false) return rewriteModule(raw, options);
    const flavour = `${options.trackWrites ? 'w' : ''}${options.meter ? 'm' : ''}`;
    const path = join(CACHE_DIR, `${hashHex}.v${REWRITE_VERSION}${flavour}.wasm`);
    if (existsSync(path)) {
        try {
            return new Uint8Array(readFileSync(path));
        } catch {
            // Unreadable cache entry: rewrite again below.
        }
    }
    const rewritten = rewriteModule(raw, options);
    if (rewritten !== null) {
        try {
            mkdirSync(CACHE_DIR, { recursive: true });
            const staging = `${path}.${process.pid}`;
            writeFileSync(staging, rewritten);
            renameSync(staging, path);
        } catch {
            // A read-only or full temp folder only costs the next process the same work.
        }
    }
    return rewritten;
}

/** Export name of a method of the given kind. */
export function methodExportName(kind: MethodKind, method: string): string {
    return `canister_${kind} ${method}`;
}
