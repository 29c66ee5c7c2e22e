/**
 * Jest global setup of the `integration` project: starts one PocketIC(-compatible) server for
 * the whole run with the stock `@dfinity/pic` client.
 *
 * The server binary is `$POCKET_IC_BIN` when set (a real PocketIC 14 works), otherwise the
 * project's own `deflow-localnet`. Nothing is built here: build the fixtures first
 * (`npx tsx scripts/build-canisters.ts --project localnet/tests/fixtures`).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

import { PocketIcServer } from '@dfinity/pic';

import { PIC_URL_ENV } from './server-handle';

const PROJECT_ROOT = resolve(__dirname, '..', '..', '..');
const LOCALNET_BIN = resolve(PROJECT_ROOT, 'node_modules', '.bin', 'deflow-localnet');
/** The package binary itself, for a checkout whose `node_modules/.bin` link predates it. */
const LOCALNET_SOURCE_BIN = resolve(PROJECT_ROOT, 'localnet', 'bin', 'deflow-localnet.js');

export default async function globalSetup(): Promise<void> {
    if (process.env.POCKET_IC_BIN === undefined || process.env.POCKET_IC_BIN === '') {
        process.env.POCKET_IC_BIN = existsSync(LOCALNET_BIN) ? LOCALNET_BIN : LOCALNET_SOURCE_BIN;
    }
    const server = await PocketIcServer.start({
        // The server exits after `ttl` idle seconds (60 by default). Specs that run their own
        // network (npm start, the in-process scale guard) can keep both workers away from the
        // shared server for longer than that; teardown stops it explicitly.
        ttl: 3600,
        showRuntimeLogs: process.env.PIC_SHOW_RUNTIME_LOGS === '1',
        showCanisterLogs: process.env.PIC_SHOW_CANISTER_LOGS === '1'
    });
    process.env[PIC_URL_ENV] = server.getUrl();
    globalThis.__deflowPicServer = server;
}
