/**
 * Headless Chromium for the browser tests: Debian's `chromium` (/usr/bin/chromium, installed
 * by .ci/run), driven with playwright-core (which ships no browser of its own).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';

import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.DEFLOW_CHROMIUM ?? '/usr/bin/chromium';

/** Where the test run writes its screenshots (gitignored), for a reviewer to look at. */
export const ARTIFACTS_DIR = resolve(__dirname, '..', '..', '..', 'test-artifacts');

export async function launchChromium(): Promise<Browser> {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium; .ci/run does it)`);
    // playwright-core gives each launch a fresh profile (its own --user-data-dir).
    return await chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
    });
}

/** A full-page screenshot at `test-artifacts/<folder>/<name>.png`. */
export async function screenshot(page: Page, folder: string, name: string): Promise<string> {
    const dir = resolve(ARTIFACTS_DIR, folder);
    mkdirSync(dir, { recursive: true });
    const path = resolve(dir, `${name}.png`);
    await page.screenshot({ path, fullPage: true });
    return path;
}

/** Collects the page's uncaught errors and console errors, to assert a page ran cleanly (and to show why it did not). */
export function pageErrors(page: Page): string[] {
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
        if (message.type() === 'error') errors.push(`console: ${message.text()}`);
    });
    return errors;
}
