import { cacheControlFor, INDEX_PATH, isStorablePath, resolveAssetPath } from './routing';

const stored = new Set([INDEX_PATH, '/assets/index-abc.js', '/deflow-config.json', '/a b.txt']);
const exists = (path: string): boolean => stored.has(path);

describe('resolveAssetPath', () => {
    it('answers a stored file by its path, ignoring the query string', () => {
        expect(resolveAssetPath('/assets/index-abc.js?v=1', exists)).toBe('/assets/index-abc.js');
        expect(resolveAssetPath('/deflow-config.json', exists)).toBe('/deflow-config.json');
    });

    it('decodes percent-escapes', () => {
        expect(resolveAssetPath('/a%20b.txt', exists)).toBe('/a b.txt');
        expect(resolveAssetPath('/%E0%A4%A', exists)).toBeNull();
    });

    it('answers the root and client-side routes with the index page', () => {
        expect(resolveAssetPath('/', exists)).toBe(INDEX_PATH);
        expect(resolveAssetPath('/executions/7?canisterId=x', exists)).toBe(INDEX_PATH);
    });

    it('answers a missing file with an extension with nothing (a 404), not the index page', () => {
        expect(resolveAssetPath('/assets/missing.js', exists)).toBeNull();
        expect(resolveAssetPath('/', () => false)).toBeNull();
    });
});

describe('upload paths and caching', () => {
    it('stores only absolute paths without .. segments', () => {
        expect(isStorablePath('/assets/x.js')).toBe(true);
        expect(isStorablePath('assets/x.js')).toBe(false);
        expect(isStorablePath('/assets/../x.js')).toBe(false);
        expect(isStorablePath('/x.js?y')).toBe(false);
    });

    it('caches hashed bundles for good and revalidates the rest', () => {
        expect(cacheControlFor('/assets/index-abc.js')).toContain('immutable');
        expect(cacheControlFor(INDEX_PATH)).toBe('no-cache');
    });
});
