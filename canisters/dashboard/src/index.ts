/**
 * `dashboard`: serves the dashboard's bundled files (frontend/dist) to browsers through the
 * HTTP gateway, as an asset canister does: `http_request` answers a stored file by its path
 * (client-side routes fall back to index.html). The deployer uploads the files with
 * `put_asset`; only the canister's controllers may change them.
 *
 * Files live in stable memory, so they survive upgrades. Responses are not certified (no
 * `IC-Certificate` header): the local network's gateway does not verify certification; see
 * docs/dashboard.md for what that means on the IC.
 */
import { IDL, isController, msgCaller, query, StableBTreeMap, update } from 'azle';

import { dashboardAssetsMethods, type AssetSummary, type DeleteAssetResult, type HttpRequest, type HttpResponse, type PutAssetArgs, type PutAssetResult } from '../../../shared/dashboard/assets-api';
import { cacheControlFor, isStorablePath, resolveAssetPath } from './routing';

const M = dashboardAssetsMethods(IDL);

/** File bytes are stored as they are (the default JSON serializer would spell every byte out). */
const rawBytes = { toBytes: (bytes: Uint8Array): Uint8Array => bytes, fromBytes: (bytes: Uint8Array): Uint8Array => bytes };

const MEMORY = { contents: 0, contentTypes: 1 } as const;
const contents = new StableBTreeMap<string, Uint8Array>(MEMORY.contents, undefined, rawBytes);
const contentTypes = new StableBTreeMap<string, string>(MEMORY.contentTypes);

const encoder = new TextEncoder();

function summaryOf(path: string): AssetSummary {
    return { path, content_type: contentTypes.get(path) ?? 'application/octet-stream', length: BigInt(contents.get(path)?.length ?? 0) };
}

function textResponse(status: number, message: string): HttpResponse {
    return { status_code: status, headers: [['Content-Type', 'text/plain; charset=utf-8']], body: encoder.encode(message), upgrade: [] };
}

export default class {
    /** Anyone (browsers through the gateway). GET and HEAD only; a HEAD answers the headers without the body. */
    @query(M.http_request.args, M.http_request.ret)
    http_request(request: HttpRequest): HttpResponse {
        if (request.method !== 'GET' && request.method !== 'HEAD') return textResponse(405, `the dashboard serves GET and HEAD, not ${request.method}`);
        const path = resolveAssetPath(request.url, (p) => contents.containsKey(p));
        if (path === null) return textResponse(404, `not found: ${request.url}`);
        const body = contents.get(path) ?? new Uint8Array();
        return {
            status_code: 200,
            headers: [
                ['Content-Type', contentTypes.get(path) ?? 'application/octet-stream'],
                ['Cache-Control', cacheControlFor(path)],
                ['X-Content-Type-Options', 'nosniff']
            ],
            body: request.method === 'HEAD' ? new Uint8Array() : body,
            upgrade: []
        };
    }

    /** Controllers only (Unauthorized otherwise). */
    @update(M.put_asset.args, M.put_asset.ret)
    put_asset(args: PutAssetArgs): PutAssetResult {
        if (!isController(msgCaller())) return { Err: { Unauthorized: 'only controllers of the dashboard canister may change its files' } };
        if (!isStorablePath(args.path)) return { Err: { InvalidInput: `not a storable path: ${JSON.stringify(args.path)} (absolute, no .., no query)` } };
        if (args.append && !contents.containsKey(args.path)) return { Err: { InvalidInput: `cannot append to ${args.path}: no upload of it was started (append: false)` } };
        const previous = args.append ? (contents.get(args.path) ?? new Uint8Array()) : new Uint8Array();
        const next = new Uint8Array(previous.length + args.chunk.length);
        next.set(previous, 0);
        next.set(args.chunk, previous.length);
        contents.insert(args.path, next);
        contentTypes.insert(args.path, args.content_type);
        return { Ok: summaryOf(args.path) };
    }

    /** Controllers only (Unauthorized otherwise); deleting a missing path is InvalidInput. */
    @update(M.delete_asset.args, M.delete_asset.ret)
    delete_asset(path: string): DeleteAssetResult {
        if (!isController(msgCaller())) return { Err: { Unauthorized: 'only controllers of the dashboard canister may change its files' } };
        if (!contents.containsKey(path)) return { Err: { InvalidInput: `no file at ${path}` } };
        contents.remove(path);
        contentTypes.remove(path);
        return { Ok: null };
    }

    /** Anyone: the stored files (the deployer uses it to remove files a new build no longer has). */
    @query(M.list_assets.args, M.list_assets.ret)
    list_assets(): AssetSummary[] {
        return contents.keys().map(summaryOf);
    }
}
