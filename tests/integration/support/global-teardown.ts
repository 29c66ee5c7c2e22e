/** Jest global teardown of the `integration` project: stops the server the global setup started. */
import './server-handle';

export default async function globalTeardown(): Promise<void> {
    const server = globalThis.__deflowPicServer;
    globalThis.__deflowPicServer = undefined;
    if (server !== undefined) {
        await server.stop();
    }
}
