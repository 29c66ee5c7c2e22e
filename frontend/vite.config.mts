import { fileURLToPath } from 'node:url';

import { defineConfig } from 'vite';

/** The dashboard bundle: static files the `dashboard` canister serves (`npm start` builds and uploads them). */
export default defineConfig({
    root: fileURLToPath(new URL('.', import.meta.url)),
    base: '/',
    build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1500, target: 'es2022' },
    // client/ and shared/ are imported from the project root; @dfinity/agent expects `global`.
    define: { global: 'globalThis' },
    logLevel: 'warn'
});
