/**
 * Builds the dashboard (frontend/) into frontend/dist with Vite: what the `dashboard` canister
 * serves. `npm start` runs it before uploading; `tsx scripts/build-frontend.ts` runs it alone.
 */
import { resolve } from 'node:path';

export const FRONTEND_DIR = resolve(__dirname, '..', 'frontend');
export const FRONTEND_DIST = resolve(FRONTEND_DIR, 'dist');

export async function buildFrontend(): Promise<string> {
    // Vite is ESM-only and its types need `moduleResolution: bundler`, which the project's
    // CommonJS build does not use: loaded at run time (Node 20.19+ requires ES modules), typed here.
    const { build } = (await import('vite' as string)) as { build: (config: { configFile: string; root: string; logLevel: 'warn' }) => Promise<unknown> };
    await build({ configFile: resolve(FRONTEND_DIR, 'vite.config.mts'), root: FRONTEND_DIR, logLevel: 'warn' });
    return FRONTEND_DIST;
}

if (require.main === module) {
    buildFrontend().then(
        (dir) => console.log(`built the dashboard into ${dir}`),
        (error: unknown) => {
            console.error(`building the dashboard failed: ${error instanceof Error ? error.message : String(error)}`);
            process.exit(1);
        }
    );
}
