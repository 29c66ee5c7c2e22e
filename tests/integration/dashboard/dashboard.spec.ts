/**
 * The dashboard in a real headless Chromium against `npm start`'s network: the page comes
 * from the `dashboard` canister through the local gateway, signs in with a local key and talks
 * to the canisters with @dfinity/agent. Screenshots of each page go to test-artifacts/dashboard/.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { Actor, HttpAgent, type Identity } from '@dfinity/agent';
import { IDL } from '@dfinity/candid';
import { Ed25519KeyIdentity } from '@dfinity/identity';
import { Principal } from '@dfinity/principal';
import type { Browser, BrowserContext, Page } from 'playwright-core';

import { createDeflowClient, type DeflowClient } from '../../../client';
import { loadIdentityFile } from '../../../cli/identity';
import { priceOracleIdlFactory, type PriceOracleService } from '../../../canisters/demo/price-oracle/src/interface';
import { DEFAULT_THRESHOLDS } from '../../../shared/monitoring/alerts';
import { monitorIdlFactory } from '../../../shared/monitoring/service';
import { pointAtDemo } from '../../../drill/workflows';
import { liquidationWorkflow } from '../../../shared/workflow/testing';
import { LOCAL_KEY_STORAGE } from '../../../frontend/src/storage-keys';
import { launchChromium, pageErrors, screenshot } from '../support/browser';
import { startFolders, startNetwork, type StartedNetwork } from '../support/npm-start';

jest.setTimeout(170_000);

const SHOTS = 'dashboard';
const WAIT = { timeout: 60_000 };

let network: StartedNetwork;
let dashboardUrl: string;
let admin: Identity;
let browser: Browser;
let demo: { price_oracle: string; backup_price_oracle: string; lending_position: string };

async function clientFor(identity: Identity): Promise<DeflowClient> {
    const agent = await HttpAgent.create({ host: network.url, identity, shouldFetchRootKey: true });
    const deployment = JSON.parse(readFileSync(join(folders.stateDir, 'deployment.json'), 'utf8')) as { peers: Record<'orchestrator' | 'scheduler' | 'monitor' | 'executor', string> };
    return createDeflowClient({ agent, canisterIds: deployment.peers });
}

async function oracle(identity: Identity): Promise<PriceOracleService> {
    const agent = await HttpAgent.create({ host: network.url, identity, shouldFetchRootKey: true });
    return Actor.createActor<PriceOracleService>(priceOracleIdlFactory as unknown as IDL.InterfaceFactory, { agent, canisterId: demo.price_oracle });
}

/** A browser context signed in with `key` (its localStorage holds it, as after a sign-in). */
async function pageSignedInAs(key: Ed25519KeyIdentity): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addInitScript(([name, value]) => window.localStorage.setItem(name!, value!), [LOCAL_KEY_STORAGE, JSON.stringify(key.toJSON())]);
    const page = await context.newPage();
    await page.goto(dashboardUrl);
    await page.getByTestId('principal').waitFor(WAIT);
    return { context, page };
}

const folders = startFolders();

beforeAll(async () => {
    const started = Date.now();
    network = await startNetwork(folders);
    console.log(`npm start was ready in ${Date.now() - started} ms`);
    const printed = /Dashboard: (http:\/\/\S+)/.exec(network.output())?.[1];
    if (printed === undefined) throw new Error(`npm start printed no dashboard URL:\n${network.output()}`);
    dashboardUrl = printed;
    admin = loadIdentityFile(join(folders.configDir, 'identity.pem')).identity;
    demo = JSON.parse(readFileSync(join(folders.stateDir, 'demo.json'), 'utf8')) as typeof demo;
    browser = await launchChromium();
    // npm start deploys eight Azle canisters (and builds what is stale when run alone): minutes on a busy machine.
}, 400_000);

afterAll(async () => {
    await browser?.close();
    await network?.stop();
});

describe('the dashboard in Chromium', () => {
    let ownerKey: Ed25519KeyIdentity;
    let owner: DeflowClient;
    let ownerPage: Page;
    let ownerWorkflowId: string;

    it('is served by the dashboard canister and signs in with a new local key', async () => {
        const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
        ownerPage = await context.newPage();
        await ownerPage.goto(dashboardUrl);
        await ownerPage.getByTestId('sign-in').waitFor(WAIT);
        await screenshot(ownerPage, SHOTS, 'sign-in');
        await ownerPage.getByTestId('sign-in').click();
        const principal = await ownerPage.getByTestId('principal').textContent(WAIT);
        const stored = await ownerPage.evaluate((name) => window.localStorage.getItem(name), LOCAL_KEY_STORAGE);
        ownerKey = Ed25519KeyIdentity.fromJSON(stored!);
        expect(ownerKey.getPrincipal().toText()).toBe(principal);
        // An owner is no admin: no badge, no emergency controls.
        await ownerPage.getByTestId('health-status').waitFor(WAIT);
        expect(await ownerPage.getByTestId('admin-badge').count()).toBe(0);
        expect(await ownerPage.getByTestId('emergency-controls').count()).toBe(0);
        owner = await clientFor(ownerKey);
    });

    it('draws an execution filling in to Succeeded, with the retries and the fallback taken', async () => {
        const ids = { oracle: Principal.fromText(demo.price_oracle), backupOracle: Principal.fromText(demo.backup_price_oracle), lending: Principal.fromText(demo.lending_position) };
        const workflow = await owner.workflows.create(pointAtDemo(liquidationWorkflow(), ids));
        ownerWorkflowId = workflow.id;
        // Every attempt of `price` (1 + 2 retries) is rejected: the node falls back to `backup_price`.
        await (await oracle(admin)).fail_next(3);
        const run = await owner.executions.start(workflow.id, { threshold_e8s: 1, repay: { amount: 5, position: 'pos-1' } });
        await ownerPage.goto(`${dashboardUrl}#/executions/${encodeURIComponent(run.id)}`);
        const status = ownerPage.getByTestId('execution-status');
        await status.waitFor(WAIT);
        await ownerPage.waitForFunction(() => document.querySelector('[data-testid=execution-status]')?.textContent === 'Succeeded', undefined, WAIT);
        expect(await ownerPage.getByTestId('retries-price').textContent()).toBe('2');
        expect(await ownerPage.getByTestId('fallback-price').textContent()).toBe('UseAlternativeNode');
        expect(await ownerPage.getByTestId('alternative-backup_price').textContent()).toContain('price');
        expect(await ownerPage.locator('[data-node=price] rect[data-outcome=failed]').count()).toBe(3);
        expect(await ownerPage.locator('[data-node=price] rect[data-segment=backoff]').count()).toBe(2);
        expect(await ownerPage.locator('[data-node=backup_price] rect[data-outcome=succeeded]').count()).toBe(1);
        expect(JSON.parse((await ownerPage.getByTestId('error-price').textContent())!)).toMatchObject({ kind: 'Rejected' });
        await screenshot(ownerPage, SHOTS, 'execution-timeline');
    });

    it("shows the owner's workflows and none of another owner's", async () => {
        const other = await clientFor(Ed25519KeyIdentity.generate());
        const foreign = await other.workflows.create({ ...liquidationWorkflow(), name: 'Someone else' });
        await ownerPage.goto(`${dashboardUrl}#/workflows`);
        await ownerPage.locator(`[data-workflow-id="${ownerWorkflowId}"]`).waitFor(WAIT);
        const shown = await ownerPage.locator('[data-workflow-id]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-workflow-id')));
        expect(shown).toEqual([ownerWorkflowId]);
        expect(shown).not.toContain(foreign.id);
        expect(Number(await ownerPage.getByTestId('activity-plot').getAttribute('data-points'))).toBeGreaterThan(0);
        await screenshot(ownerPage, SHOTS, 'workflows');
    });

    it("shows the owner's schedules and agent", async () => {
        await owner.schedules.add(ownerWorkflowId, { Interval: { every_seconds: 3600n, start_at: [BigInt(Date.now() + 3_600_000) * 1_000_000n], end_at: [] } }, undefined, { threshold_e8s: 1, repay: { amount: 5, position: 'pos-1' } });
        await ownerPage.goto(`${dashboardUrl}#/schedules`);
        await ownerPage.getByTestId('next-due').waitFor(WAIT);
        expect(await ownerPage.getByTestId('next-due').textContent()).toMatch(/^\d{4}-\d\d-\d\d /);
        await screenshot(ownerPage, SHOTS, 'schedules');
        await ownerPage.goto(`${dashboardUrl}#/agent`);
        await ownerPage.locator('[data-testid=agent-principal], [data-testid=agent-status]').first().waitFor(WAIT);
        await screenshot(ownerPage, SHOTS, 'agent');
    });

    it("draws the health plots from the monitor's history, with data from before the page was opened", async () => {
        const { context, page } = await pageSignedInAs(ownerKey);
        const openedAtMs = Date.now();
        await page.goto(`${dashboardUrl}#/health`);
        const cycles = page.getByTestId('cycles-plot');
        await page.waitForFunction(() => Number(document.querySelector('[data-testid=cycles-plot]')?.getAttribute('data-points') ?? 0) > 0, undefined, WAIT);
        // The monitor's points predate this page: a page plotting only what it saw would start after it opened.
        expect(Number(await cycles.getAttribute('data-first-ms'))).toBeLessThan(openedAtMs);
        // The executions run by the earlier tests, once the orchestrator's next report (each minute) has them.
        await page.waitForFunction(() => Number(document.querySelector('[data-testid=system-activity-plot]')?.getAttribute('data-executions') ?? 0) > 0, undefined, WAIT);
        // Each peer's heap and stable memory are the IC's (canister_status), not the 0 an Azle canister reports itself.
        for (const role of ['Orchestrator', 'Scheduler', 'Executor']) {
            const row = page.locator(`[data-testid=canisters] tr[data-role=${role}]`);
            expect(await row.getByTestId('heap').textContent()).toMatch(/^\d+\.\d MiB$/);
            expect(await row.getByTestId('stable-memory').textContent()).not.toBe('0 B');
            expect(await row.getByTestId('stable-memory').getAttribute('title')).toContain('memory from canister_status');
        }
        await screenshot(page, SHOTS, 'health-history');
        await context.close();
    });

    it('lets an admin see a raised alert, acknowledge it, and enter and leave safe mode', async () => {
        // Every canister's balance is under a 10^19-cycle threshold: LowCycles alerts rise at the next check.
        const agent = await HttpAgent.create({ host: network.url, identity: admin, shouldFetchRootKey: true });
        const deployment = JSON.parse(readFileSync(join(folders.stateDir, 'deployment.json'), 'utf8')) as { peers: { monitor: string } };
        const monitor = Actor.createActor<{ set_thresholds: (t: typeof DEFAULT_THRESHOLDS) => Promise<{ Ok: unknown } | { Err: unknown }> }>(monitorIdlFactory, { agent, canisterId: deployment.peers.monitor });
        expect(await monitor.set_thresholds({ ...DEFAULT_THRESHOLDS, low_cycles: 10_000_000_000_000_000_000n })).toHaveProperty('Ok');

        const { page } = await pageSignedInAs(admin as Ed25519KeyIdentity);
        const errors = pageErrors(page);
        await page.getByTestId('admin-badge').waitFor(WAIT);
        await page.getByTestId('emergency-controls').waitFor(WAIT);
        await page.getByRole('button', { name: 'Check now' }).click();
        const raised = page.locator('[data-alert-status=Raised]').first();
        await raised.waitFor(WAIT).catch(async (error: unknown) => {
            await screenshot(page, SHOTS, 'health-admin-failed');
            throw new Error(`${error instanceof Error ? error.message : String(error)}\npage errors: ${errors.join('\n')}\n${await page.locator('main').innerText()}`);
        });
        const alertId = await raised.getAttribute('data-alert-id');
        await page.getByTestId(`ack-${alertId}`).click();
        await page.locator(`[data-alert-id="${alertId}"][data-alert-status=Acknowledged]`).waitFor(WAIT);
        expect(Number(await page.getByTestId('cycles-plot').getAttribute('data-points'))).toBeGreaterThan(0);
        await screenshot(page, SHOTS, 'health-admin');

        // Safe mode and back, through the monitor, as the admin.
        const mode = page.getByTestId('system-mode');
        await page.getByTestId('emergency-reason').fill('browser test');
        await page.getByRole('button', { name: 'Enter safe mode' }).click();
        await page.waitForFunction(() => document.querySelector('[data-testid=system-mode]')?.textContent === 'Safe', undefined, WAIT);
        expect(await page.locator('.summary').textContent()).toContain('browser test');
        await page.getByRole('button', { name: 'Back to normal' }).click();
        await page.waitForFunction(() => document.querySelector('[data-testid=system-mode]')?.textContent === 'Normal', undefined, WAIT);
        expect(await mode.textContent()).toBe('Normal');
        expect(errors).toEqual([]);
    });
});
