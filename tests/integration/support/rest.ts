/**
 * A small raw client of the PocketIC REST API, for conformance checks that `@dfinity/pic` does
 * not expose (ingress status, malformed requests, deleted instances). JSON in, JSON out; blobs
 * and principals are standard base64 as PocketIC expects.
 */
import type { Principal } from '@dfinity/principal';

export type RestResponse = { status: number; body: unknown };

/** The instance configuration `@dfinity/pic` 0.23 sends by default. */
export const DEFAULT_INSTANCE_CONFIG = {
    subnet_config_set: {
        system: [],
        application: [{ dts_flag: 'Enabled', instruction_config: 'Production', cost_schedule: 'Normal', state_config: 'New' }],
        cloud_engine: [],
        verified_application: []
    }
} as const;

export function b64(bytes: Uint8Array): string {
    return Buffer.from(bytes).toString('base64');
}

export function b64Principal(principal: Principal): string {
    return b64(principal.toUint8Array());
}

export function fromB64(text: string): Uint8Array {
    return new Uint8Array(Buffer.from(text, 'base64'));
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads `body[key]` when `body` is an object holding that key. */
export function field(body: unknown, key: string): unknown {
    return isRecord(body) ? body[key] : undefined;
}

export class PicRest {
    constructor(readonly baseUrl: string) {}

    async request(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown, rawBody?: string): Promise<RestResponse> {
        const init: RequestInit = { method };
        if (rawBody !== undefined) {
            init.body = rawBody;
            init.headers = { 'Content-Type': 'application/json' };
        } else if (body !== undefined) {
            init.body = JSON.stringify(body);
            init.headers = { 'Content-Type': 'application/json' };
        }
        const response = await fetch(`${this.baseUrl}${path}`, init);
        const text = await response.text();
        let parsed: unknown = text;
        try {
            parsed = text === '' ? null : JSON.parse(text);
        } catch {
            // not JSON: keep the text
        }
        return { status: response.status, body: parsed };
    }

    /** Creates an instance with pic-js's default config; returns its id. */
    async createInstance(): Promise<number> {
        const { body } = await this.request('POST', '/instances', DEFAULT_INSTANCE_CONFIG);
        const id = field(field(body, 'Created'), 'instance_id');
        if (typeof id !== 'number') throw new Error(`unexpected create-instance reply ${JSON.stringify(body)}`);
        return id;
    }

    async deleteInstance(id: number): Promise<void> {
        await this.request('DELETE', `/instances/${id}`);
    }
}
