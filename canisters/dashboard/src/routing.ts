/**
 * Which stored file answers a browser's request: pure logic of the `dashboard` canister.
 */

/** The file the root and every client-side route (a path without a file extension) are answered with. */
export const INDEX_PATH = '/index.html';

/**
 * The stored path for a request URL (path and query, as the gateway passes it), or null when
 * nothing answers it. The query string and fragment are ignored; `/` and extension-less paths
 * (the dashboard's own routes, e.g. `/executions/7`) fall back to the index page, so a reload
 * on any page works; a missing file with an extension is a 404, not the index page (a broken
 * script reference must not silently load HTML).
 */
export function resolveAssetPath(url: string, exists: (path: string) => boolean): string | null {
    const path = requestPathOf(url);
    if (path === null || !path.startsWith('/')) return null;
    if (exists(path)) return path;
    const lastSegment = path.slice(path.lastIndexOf('/') + 1);
    if (!lastSegment.includes('.') && exists(INDEX_PATH)) return INDEX_PATH;
    return null;
}

/** The decoded path of a request URL (query and fragment dropped), or null when it does not decode. */
export function requestPathOf(url: string): string | null {
    return decodePath(url.split(/[?#]/, 1)[0] ?? '/');
}

function decodePath(path: string): string | null {
    try {
        return decodeURIComponent(path);
    } catch {
        return null;
    }
}

/** `Cache-Control` for a stored path: Vite's hashed bundles never change, everything else is revalidated. */
export function cacheControlFor(path: string): string {
    return path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
}

/** A path an upload may store: absolute, no `..` segment, no query or fragment. */
export function isStorablePath(path: string): boolean {
    return path.startsWith('/') && !path.includes('?') && !path.includes('#') && !path.split('/').includes('..') && path.length <= 512;
}
