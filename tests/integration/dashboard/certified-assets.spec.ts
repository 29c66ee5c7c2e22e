/**
 * Certified assets: the dashboard canister certifies every answer (response verification
 * version 2), and the local gateway verifies certification as the IC's gateways do, so a
 * response that differs from what the subnet certified (body, header or status changed, another
 * path's answer, no certificate) is refused with 500, while genuine answers are served. Raw
 * hosts (`<id>.raw.localhost`) pass answers unverified, as the IC's raw domains do.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { createIdentity, type PocketIc } from '@dfinity/pic';

import { createDashboardCanister, upgradeDashboardCanister, uploadDashboard, type DashboardConfigFile } from '../../../cli/dashboard-deploy';
import { createPic } from '../support/pic';

jest.setTimeout(120_000);

const controller = createIdentity('certified-assets-controller');
const CONFIG: DashboardConfigFile = { network: 'local', host: '', canisterIds: { orchestrator: 'aaaaa-aa', scheduler: 'aaaaa-aa', monitor: 'aaaaa-aa', executor: 'aaaaa-aa' }, admins: [] };
const FORGED_WASM = resolve(__dirname, '..', 'support', 'canisters', '.azle', 'forged_assets', 'forged_assets.wasm');

type Answer = { status: number; body: string; headers: Record<string, string | string[] | undefined> };

function distWith(files: Record<string, string>): string {
    const dir = mkdtempSync(join(tmpdir(), 'certified-dist-'));
    for (const [path, text] of Object.entries(files)) {
        mkdirSync(join(dir, path, '..'), { recursive: true });
        writeFileSync(join(dir, path), text);
    }
    return dir;
}

/** A request through the gateway to the canister at `<id>[.raw].localhost`. */
function send(port: number, canisterId: Principal, path: string, options: { raw?: boolean; method?: string } = {}): Promise<Answer> {
    const host = `${canisterId.toText()}${options.raw === true ? '.raw' : ''}.localhost:${port}`;
    return new Promise((resolveAnswer, reject) => {
        const req = request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: { host } }, (response) => {
            let body = '';
            response.on('data', (chunk: Buffer) => (body += chunk.toString()));
            response.on('end', () => resolveAnswer({ status: response.statusCode ?? 0, body, headers: response.headers }));
        });
        req.on('error', reject);
        req.end();
    });
}

describe('certified dashboard assets through the verifying gateway', () => {
    let pic: PocketIc;
    let port: number;
    let dashboard: Principal;
    let forged: Principal;

    beforeAll(async () => {
        pic = await createPic();
        dashboard = await createDashboardCanister(pic, controller.getPrincipal());
        await uploadDashboard(pic, dashboard, controller.getPrincipal(), distWith({ 'index.html': '<p>dashboard</p>', 'assets/app-1.js': 'console.log(1)' }), CONFIG);
        forged = await pic.createCanister();
        await pic.installCode({ canisterId: forged, wasm: new Uint8Array(readFileSync(FORGED_WASM)), arg: new Uint8Array(IDL.encode([], [])) });
        port = await pic.makeLive();
    });

    afterAll(async () => {
        await pic?.stopLive();
        await pic?.tearDown();
    });

    it('serves every kind of dashboard answer certified: files, client-side routes, 404 and 405', async () => {
        const file = await send(port, dashboard, '/assets/app-1.js');
        expect(file).toMatchObject({ status: 200, body: 'console.log(1)' });
        expect(file.headers['ic-certificate']).toMatch(/^certificate=:[^:]+:, tree=:[^:]+:, expr_path=:[^:]+:, version=2$/);
        expect(await send(port, dashboard, '/index.html')).toMatchObject({ status: 200, body: '<p>dashboard</p>' });
        expect(await send(port, dashboard, '/')).toMatchObject({ status: 200, body: '<p>dashboard</p>' });
        expect(await send(port, dashboard, '/executions/ex-1?tab=timeline')).toMatchObject({ status: 200, body: '<p>dashboard</p>' });
        expect(await send(port, dashboard, '/assets/missing.js')).toMatchObject({ status: 404, body: expect.stringContaining('not found') });
        expect(await send(port, dashboard, '/index.html', { method: 'POST' })).toMatchObject({ status: 405 });
        expect(await send(port, dashboard, '/nowhere', { method: 'DELETE' })).toMatchObject({ status: 405 });
    });

    it('certifies a new upload and keeps certification across an upgrade', async () => {
        await uploadDashboard(pic, dashboard, controller.getPrincipal(), distWith({ 'index.html': '<p>v2</p>', 'assets/app-2.js': 'console.log(2)' }), CONFIG);
        expect(await send(port, dashboard, '/assets/app-2.js')).toMatchObject({ status: 200, body: 'console.log(2)' });
        expect(await send(port, dashboard, '/assets/app-1.js')).toMatchObject({ status: 404 });
        await upgradeDashboardCanister(pic, dashboard, controller.getPrincipal());
        expect(await send(port, dashboard, '/schedules')).toMatchObject({ status: 200, body: '<p>v2</p>' });
        expect(await send(port, dashboard, '/assets/app-2.js')).toMatchObject({ status: 200, body: 'console.log(2)' });
    });

    it('serves a genuine certified answer of another canister', async () => {
        expect(await send(port, forged, '/genuine.html')).toMatchObject({ status: 200, body: '<p>genuine</p>' });
    });

    it.each([
        ['/forged-body.html', 'is not the one certified'],
        ['/forged-header.html', 'is not the one certified'],
        ['/forged-status.html', 'is not the one certified'],
        ['/borrowed.html', 'exact entry of another path'],
        ['/uncertified.html', 'no IC-Certificate header']
    ])('refuses %s, which differs from what the subnet certified', async (path, reason) => {
        const answer = await send(port, forged, path);
        expect(answer.status).toBe(500);
        expect(answer.body).toContain('Response verification failed');
        expect(answer.body).toContain(reason);
        expect(answer.body).not.toContain('forged');
    });

    it('passes answers unverified on the raw host, as the IC raw domains do', async () => {
        expect(await send(port, forged, '/forged-body.html', { raw: true })).toMatchObject({ status: 200, body: '<p>forged</p>' });
    });
});
