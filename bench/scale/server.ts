/**
 * deflow-localnet in this process, so the benchmark can read what the REST API does not
 * carry: the instructions of every execution (engine/execution-observer.ts) and the canister
 * records (cycles). pic-js talks to it over HTTP exactly as to the server binary.
 */
import { createInstance, type Instance } from '../../localnet/src/instance';
import { blobStore } from '../../localnet/src/server/blob-store';
import { startHttpServer } from '../../localnet/src/server/http-server';
import { InstanceRegistry } from '../../localnet/src/server/registry';

export type InProcessServer = { url: string; instances: Instance[]; stop: () => Promise<void> };

/** The port it listens on: `DEFLOW_BENCH_SCALE_PORT`, else any free one. */
const PORT = Number(process.env.DEFLOW_BENCH_SCALE_PORT ?? 0);

export async function startInProcessServer(): Promise<InProcessServer> {
    const instances: Instance[] = [];
    const registry = new InstanceRegistry(() => (config) => {
        const instance = createInstance(config);
        instances.push(instance);
        return instance;
    });
    const server = await startHttpServer({ host: '127.0.0.1', port: PORT, context: { registry, blobs: blobStore } });
    return {
        url: `http://127.0.0.1:${server.port}`,
        instances,
        stop: async () => {
            await server.close();
            registry.disposeAll();
        }
    };
}

/** A canister's cycle balance on the newest instance of `server` (0 for an unknown canister). */
export function cyclesOf(server: InProcessServer, id: { toUint8Array: () => Uint8Array }): bigint {
    return server.instances[server.instances.length - 1]?.canisterRecord(id.toUint8Array())?.cycles ?? 0n;
}
