/**
 * The `dashboard` asset canister and the gateway that serves it: controllers upload files,
 * nobody else may change them, anyone reads them, and a browser request reaches
 * `http_request` through the gateway by `?canisterId=` or by a `<id>.localhost` host.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Principal } from '@dfinity/principal';
import { createIdentity, type Actor, type PocketIc } from '@dfinity/pic';

import { createDashboardCanister, DASHBOARD_CONFIG_PATH, uploadDashboard, type DashboardConfigFile } from '../../../cli/dashboard-deploy';
import { dashboardAssetsIdlFactory, type DashboardAssetsService } from '../../../shared/dashboard/assets-api';
import { createPic } from '../support/pic';

jest.setTimeout(120_000);

const controller = createIdentity('dashboard-controller');
const stranger = createIdentity('dashboard-stranger');
const CONFIG: DashboardConfigFile = { network: 'local', host: '', canisterIds: { orchestrator: 'aaaaa-aa', scheduler: 'aaaaa-aa', monitor: 'aaaaa-aa', executor: 'aaaaa-aa' }, admins: [] };

function distWith(files: Record<string, string>): string {
    const dir = mkdtempSync(join(tmpdir(), 'dashboard-dist-'));
    for (const [path, text] of Object.entries(files)) {
        mkdirSync(join(dir, path, '..'), { recursive: true });
        writeFileSync(join(dir, path), text);
    }
    return dir;
}

/** A GET through the gateway with the given Host header (fetch may not set Host). */
function getWithHost(port: number, host: string, path: string): Promise<{ status: number; body: string; contentType: string | undefined }> {
    return new Promise((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path, headers: { host } }, (response) => {
            let body = '';
            response.on('data', (chunk: Buffer) => (body += chunk.toString()));
            response.on('end', () => resolve({ status: response.statusCode ?? 0, body, contentType: response.headers['content-type'] }));
        });
        req.on('error', reject);
        req.end();
    });
}

describe('the dashboard canister', () => {
    let pic: PocketIc;
    let canisterId: Principal;
    let asStranger: Actor<DashboardAssetsService>;

    beforeAll(async () => {
        pic = await createPic();
        canisterId = await createDashboardCanister(pic, controller.getPrincipal());
        const stored = await uploadDashboard(pic, canisterId, controller.getPrincipal(), distWith({ 'index.html': '<p>dashboard</p>', 'assets/app-1.js': 'console.log(1)' }), CONFIG);
        expect(stored).toBe(3);
        asStranger = pic.createActor<DashboardAssetsService>(dashboardAssetsIdlFactory as never, canisterId);
        asStranger.setIdentity(stranger);
    });

    afterAll(async () => {
        await pic?.tearDown();
    });

    it('lets only controllers change files', async () => {
        const put = await asStranger.put_asset({ path: '/index.html', content_type: 'text/html', chunk: new TextEncoder().encode('<p>defaced</p>'), append: false });
        expect(put).toEqual({ Err: { Unauthorized: expect.stringContaining('controllers') } });
        expect(await asStranger.delete_asset('/index.html')).toEqual({ Err: { Unauthorized: expect.stringContaining('controllers') } });
        const index = await asStranger.http_request({ method: 'GET', url: '/', headers: [], body: new Uint8Array(), certificate_version: [] });
        expect(new TextDecoder().decode(index.body)).toBe('<p>dashboard</p>');
    });

    it('refuses bad paths and appends that start nothing, with InvalidInput', async () => {
        const asController = pic.createActor<DashboardAssetsService>(dashboardAssetsIdlFactory as never, canisterId);
        asController.setIdentity(controller);
        expect(await asController.put_asset({ path: '../etc', content_type: 'text/plain', chunk: new Uint8Array(), append: false })).toHaveProperty('Err.InvalidInput');
        expect(await asController.put_asset({ path: '/new.js', content_type: 'text/plain', chunk: new Uint8Array([1]), append: true })).toHaveProperty('Err.InvalidInput');
    });

    it('replaces the bundle on a new upload, removing files the new build no longer has', async () => {
        await uploadDashboard(pic, canisterId, controller.getPrincipal(), distWith({ 'index.html': '<p>v2</p>', 'assets/app-2.js': 'console.log(2)' }), CONFIG);
        const paths = (await asStranger.list_assets()).map((a) => a.path).sort();
        expect(paths).toEqual(['/assets/app-2.js', DASHBOARD_CONFIG_PATH, '/index.html']);
    });

    it('is served through the gateway by ?canisterId= and by a <id>.localhost host', async () => {
        const port = await pic.makeLive();
        try {
            const byParam = await fetch(`http://127.0.0.1:${port}/assets/app-2.js?canisterId=${canisterId.toText()}`);
            expect(byParam.status).toBe(200);
            expect(byParam.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
            expect(await byParam.text()).toBe('console.log(2)');
            const route = await getWithHost(port, `${canisterId.toText()}.localhost:${port}`, '/executions/ex-1');
            expect(route).toMatchObject({ status: 200, body: '<p>v2</p>' });
            const config = await getWithHost(port, `${canisterId.toText()}.localhost`, DASHBOARD_CONFIG_PATH);
            expect(JSON.parse(config.body)).toEqual(CONFIG);
            expect((await getWithHost(port, `${canisterId.toText()}.localhost`, '/assets/app-1.js')).status).toBe(404);
            // No canister named: the gateway says how to address one.
            expect((await fetch(`http://127.0.0.1:${port}/index.html`)).status).toBe(404);
        } finally {
            await pic.stopLive();
        }
    });
});
