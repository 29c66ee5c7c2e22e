/**
 * `npm start`: the main job. Builds what is stale, starts the local network (deflow-localnet,
 * in this process) on 127.0.0.1:4943, deploys the four DeFlow canisters wired to each other,
 * prints their ids and keeps running until Ctrl-C.
 *
 * Options: `--port N` (default 4943, or $DEFLOW_PORT), `--host ADDR` (default 127.0.0.1).
 */
import { resolve } from 'node:path';

import { PocketIc } from '@dfinity/pic';

import { deployDeflow } from '../cli/deploy';
import { PEER_ROLES } from '../shared/common/deployment';
import { createInstance } from '../localnet/src/instance';
import { blobStore } from '../localnet/src/server/blob-store';
import { startHttpServer } from '../localnet/src/server/http-server';
import { InstanceRegistry } from '../localnet/src/server/registry';
import { buildCanisters } from './build-canisters';

type StartOptions = { host: string; port: number };

function parseOptions(args: string[]): StartOptions {
    const options: StartOptions = { host: '127.0.0.1', port: Number(process.env.DEFLOW_PORT ?? 4943) };
    for (let i = 0; i < args.length; i++) {
        const value = args[i + 1];
        if (args[i] === '--port' && value !== undefined) {
            options.port = Number(value);
            i++;
        } else if (args[i] === '--host' && value !== undefined) {
            options.host = value;
            i++;
        } else {
            throw new Error(`unknown option ${args[i]}; usage: npm start -- [--port N] [--host ADDR]`);
        }
    }
    if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65_535) {
        throw new Error(`--port must be an integer between 0 and 65535, got ${options.port}`);
    }
    return options;
}

async function main(): Promise<void> {
    const options = parseOptions(process.argv.slice(2));
    const projectRoot = resolve(__dirname, '..');
    const rebuilt = await buildCanisters(projectRoot, [...PEER_ROLES]);
    console.log(rebuilt.length === 0 ? 'canisters are up to date' : `built ${rebuilt.join(', ')}`);

    const registry = new InstanceRegistry(() => createInstance);
    const server = await startHttpServer({ host: options.host, port: options.port, context: { registry, blobs: blobStore } });
    const url = `http://${options.host}:${server.port}`;
    const pic = await PocketIc.create(url);
    const deployment = await deployDeflow(pic);

    console.log(`\nDeFlow local network: ${url} (PocketIC REST API; instance 0)`);
    for (const role of PEER_ROLES) console.log(`  ${role.padEnd(12)} ${deployment.peers[role].toText()}`);
    console.log('\nPress Ctrl-C to stop.');

    // Time follows the wall clock and rounds run by themselves, so timers and schedules fire.
    await pic.makeLive().catch((error: unknown) => {
        console.warn(`live mode (HTTP gateway) unavailable: ${error instanceof Error ? error.message : String(error)}`);
    });

    const stop = async (): Promise<void> => {
        console.log('\nstopping');
        await server.close();
        registry.disposeAll();
        process.exit(0);
    };
    process.on('SIGINT', () => void stop());
    process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
    console.error(`npm start failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
});
