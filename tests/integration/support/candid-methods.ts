/** What a built module declares: the method names of its `candid:service` metadata (added by the build, scripts/wasm-metadata.ts). */
import { readFileSync } from 'node:fs';

import { customSection } from '../../../scripts/wasm-metadata';

/** The method names the module at `wasmPath` declares, sorted. */
export function declaredMethodsOf(wasmPath: string): string[] {
    const section = customSection(new Uint8Array(readFileSync(wasmPath)), 'icp:public candid:service');
    if (section === null) throw new Error(`${wasmPath} has no candid:service metadata`);
    const text = new TextDecoder().decode(section);
    const service = text.slice(text.lastIndexOf('service'));
    return [...service.matchAll(/^\s*"?([A-Za-z_][A-Za-z0-9_]*)"?\s*:/gm)].map((m) => m[1] as string).filter((m) => m !== 'service').sort();
}
