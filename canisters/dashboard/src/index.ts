/**
 * `dashboard`: serves the dashboard's bundled files (frontend/dist) to browsers through the
 * HTTP gateway, as an asset canister does: `http_request` answers a stored file by its path
 * (client-side routes fall back to index.html). The deployer uploads the files with
 * `put_asset`; only the canister's controllers may change them.
 *
 * Files live in stable memory, so they survive upgrades. Every answer is certified (response
 * verification version 2, http-certification.ts): the canister's certified data is the root
 * hash of a tree over every response it can give, and each response carries the subnet's
 * certificate and a witness in `IC-Certificate`, so the IC's HTTP gateways (and the local
 * network's) accept it; see docs/dashboard.md.
 */
import { sha256 } from '@noble/hashes/sha2';
import { certifiedDataSet, dataCertificate, IDL, init, isController, msgCaller, postUpgrade, query, StableBTreeMap, update } from 'azle';

import { dashboardAssetsMethods, type AssetSummary, type DeleteAssetResult, type HeaderField, type HttpRequest, type HttpResponse, type PutAssetArgs, type PutAssetResult } from '../../../shared/dashboard/assets-api';
import { buildTree, treeDigest, type LabeledChild } from './hash-tree';
import {
    CERTIFICATE_EXPRESSION,
    CERTIFICATE_EXPRESSION_HEADER,
    CERTIFICATE_HEADER,
    certificateHeaderValue,
    certificationData,
    exactExpressionPath,
    responseWitness,
    ROOT_WILDCARD_PATH,
    type CertifiableResponse,
    type CertificationEntry
} from './http-certification';
import { cacheControlFor, INDEX_PATH, isStorablePath, requestPathOf, resolveAssetPath } from './routing';

const M = dashboardAssetsMethods(IDL);

/** File bytes are stored as they are (the default JSON serializer would spell every byte out). */
const rawBytes = { toBytes: (bytes: Uint8Array): Uint8Array => bytes, fromBytes: (bytes: Uint8Array): Uint8Array => bytes };

const MEMORY = { contents: 0, contentTypes: 1, bodyHashes: 2 } as const;
const contents = new StableBTreeMap<string, Uint8Array>(MEMORY.contents, undefined, rawBytes);
const contentTypes = new StableBTreeMap<string, string>(MEMORY.contentTypes);
/** sha256 of each stored file, kept so certification never rehashes the bundle (only uploads do). */
const bodyHashes = new StableBTreeMap<string, Uint8Array>(MEMORY.bodyHashes, undefined, rawBytes);

const encoder = new TextEncoder();

/**
 * The fixed answers for what is not a stored file. Their texts never echo the request: a
 * certified response is one the tree already holds, so it cannot depend on the URL.
 */
const NOT_FOUND_BODY = encoder.encode('not found: the dashboard has no file at this path');
const METHOD_NOT_ALLOWED_BODY = encoder.encode('the dashboard serves GET and HEAD only');

function summaryOf(path: string): AssetSummary {
    return { path, content_type: contentTypes.get(path) ?? 'application/octet-stream', length: BigInt(contents.get(path)?.length ?? 0) };
}

function headersFor(contentType: string, cacheControl: string): HeaderField[] {
    return [
        ['Content-Type', contentType],
        ['Cache-Control', cacheControl],
        ['X-Content-Type-Options', 'nosniff'],
        [CERTIFICATE_EXPRESSION_HEADER, CERTIFICATE_EXPRESSION]
    ];
}

/** A stored file's answer (without the body itself, which only http_request reads). */
function fileResponse(path: string): CertifiableResponse {
    return { status: 200, headers: headersFor(contentTypes.get(path) ?? 'application/octet-stream', cacheControlFor(path)), bodyHash: bodyHashes.get(path) ?? sha256(new Uint8Array()) };
}

function textResponse(status: number, body: Uint8Array): CertifiableResponse & { body: Uint8Array } {
    return { status, headers: headersFor('text/plain; charset=utf-8', 'no-cache'), bodyHash: sha256(body), body };
}

const NOT_FOUND = textResponse(404, NOT_FOUND_BODY);
const METHOD_NOT_ALLOWED = textResponse(405, METHOD_NOT_ALLOWED_BODY);

/**
 * Every response the canister can give, by entry: each file at its exact path (or 405 for
 * another method); anything else at the root wildcard: the index page (client-side routes),
 * 404 or 405.
 */
function certificationEntries(): CertificationEntry[] {
    const entries: CertificationEntry[] = contents.keys().map((path) => ({ expressionPath: exactExpressionPath(path), responses: [fileResponse(path), METHOD_NOT_ALLOWED] }));
    const fallback: CertifiableResponse[] = [NOT_FOUND, METHOD_NOT_ALLOWED];
    if (contents.containsKey(INDEX_PATH)) fallback.push(fileResponse(INDEX_PATH));
    entries.push({ expressionPath: ROOT_WILDCARD_PATH, responses: fallback });
    return entries;
}

/** The tree's labeled data, rebuilt when the files change (queries cannot keep what they build). */
let certification: LabeledChild[] | null = null;

/** Recomputes the tree and sets its root hash as the certified data (updates, init, post-upgrade). */
function certifyFiles(): void {
    certification = certificationData(certificationEntries());
    certifiedDataSet(treeDigest(buildTree(certification)));
}

function certificationTree(): LabeledChild[] {
    certification ??= certificationData(certificationEntries());
    return certification;
}

export default class {
    @init([])
    init(): void {
        certifyFiles();
    }

    /** Files stored before bodies were hashed get their hash here, once. */
    @postUpgrade([])
    postUpgrade(): void {
        for (const path of contents.keys()) if (!bodyHashes.containsKey(path)) bodyHashes.insert(path, sha256(contents.get(path) ?? new Uint8Array()));
        certifyFiles();
    }

    /**
     * Anyone (browsers through the gateway). GET and HEAD only (405 otherwise); a HEAD answers
     * as a GET (the HTTP layer sends no body for it, and the certified body is the file's).
     */
    @query(M.http_request.args, M.http_request.ret)
    http_request(request: HttpRequest): HttpResponse {
        const requestPath = requestPathOf(request.url);
        const path = resolveAssetPath(request.url, (p) => contents.containsKey(p));
        const exact = path !== null && path === requestPath;
        const expressionPath = exact ? exactExpressionPath(path) : ROOT_WILDCARD_PATH;
        const answer =
            request.method !== 'GET' && request.method !== 'HEAD'
                ? METHOD_NOT_ALLOWED
                : path === null
                  ? NOT_FOUND
                  : { ...fileResponse(path), body: contents.get(path) ?? new Uint8Array() };
        const headers = [...answer.headers];
        const certificate = dataCertificate();
        // Only a query from a browser's gateway (not replicated, not inter-canister) has a certificate.
        if (certificate !== undefined) {
            const witness = responseWitness(certificationTree(), requestPath ?? '/', expressionPath, answer);
            headers.push([CERTIFICATE_HEADER, certificateHeaderValue(certificate, witness, expressionPath)]);
        }
        return { status_code: answer.status, headers, body: answer.body, upgrade: [] };
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
        bodyHashes.insert(args.path, sha256(next));
        certifyFiles();
        return { Ok: summaryOf(args.path) };
    }

    /** Controllers only (Unauthorized otherwise); deleting a missing path is InvalidInput. */
    @update(M.delete_asset.args, M.delete_asset.ret)
    delete_asset(path: string): DeleteAssetResult {
        if (!isController(msgCaller())) return { Err: { Unauthorized: 'only controllers of the dashboard canister may change its files' } };
        if (!contents.containsKey(path)) return { Err: { InvalidInput: `no file at ${path}` } };
        contents.remove(path);
        contentTypes.remove(path);
        bodyHashes.remove(path);
        certifyFiles();
        return { Ok: null };
    }

    /** Anyone: the stored files (the deployer uses it to remove files a new build no longer has). */
    @query(M.list_assets.args, M.list_assets.ret)
    list_assets(): AssetSummary[] {
        return contents.keys().map(summaryOf);
    }
}

