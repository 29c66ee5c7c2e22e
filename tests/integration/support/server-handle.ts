/**
 * What the jest global setup shares with the global teardown and the test files.
 * The server handle lives on `globalThis` (setup and teardown share one context); the URL is
 * passed to test workers through the environment.
 */
import type { PocketIcServer } from '@dfinity/pic';

/** Environment variable holding the URL of the server started by the global setup. */
export const PIC_URL_ENV = 'PIC_URL';

declare global {
    // eslint-disable-next-line no-var
    var __deflowPicServer: PocketIcServer | undefined;
}

/** The URL of the PocketIC(-compatible) server of this test run. */
export function picUrl(): string {
    const url = process.env[PIC_URL_ENV];
    if (url === undefined || url === '') {
        throw new Error(`${PIC_URL_ENV} is not set: run the tests through jest's "integration" project (its globalSetup starts the server)`);
    }
    return url;
}
