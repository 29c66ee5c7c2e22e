/**
 * Candid interface of the `dashboard` canister, which serves the dashboard's bundled files to
 * browsers through the HTTP gateway (`http_request`, the IC HTTP gateway protocol) and takes
 * them from the deployer (`put_asset`, controllers only). One definition for the canister, the
 * deployer and the localnet gateway's tests. Takes the IDL namespace so both Azle's and
 * `@dfinity/candid`'s Candid fit.
 */
import type { IDL as CandidIdl } from '@dfinity/candid';

/** A header as the gateway protocol carries it: `record { text; text }`. */
export type HeaderField = [string, string];

/** `HttpRequest` of the IC HTTP gateway protocol (the interface specification's "HTTP Gateway protocol"). */
export type HttpRequest = { method: string; url: string; headers: HeaderField[]; body: Uint8Array; certificate_version: [] | [number] };

/** `HttpResponse` without streaming: the dashboard's files are answered whole. */
export type HttpResponse = { status_code: number; headers: HeaderField[]; body: Uint8Array; upgrade: [] | [boolean] };

/**
 * One upload step. `append: false` starts the file anew (replacing an earlier one at the same
 * path), `append: true` adds a chunk to it: a file larger than one ingress message (2 MB) is
 * uploaded in several steps.
 */
export type PutAssetArgs = { path: string; content_type: string; chunk: Uint8Array; append: boolean };

/** A stored file as `list_assets` shows it. */
export type AssetSummary = { path: string; content_type: string; length: bigint };

export type DashboardAssetsError = { Unauthorized: string } | { InvalidInput: string };

export type PutAssetResult = { Ok: AssetSummary } | { Err: DashboardAssetsError };
export type DeleteAssetResult = { Ok: null } | { Err: DashboardAssetsError };

export interface DashboardAssetsService {
    http_request: (request: HttpRequest) => Promise<HttpResponse>;
    put_asset: (args: PutAssetArgs) => Promise<PutAssetResult>;
    delete_asset: (path: string) => Promise<DeleteAssetResult>;
    list_assets: () => Promise<AssetSummary[]>;
}

export function dashboardAssetsMethods(IDL: typeof CandidIdl) {
    const HeaderFieldIdl = IDL.Tuple(IDL.Text, IDL.Text);
    const HttpRequestIdl = IDL.Record({
        method: IDL.Text,
        url: IDL.Text,
        headers: IDL.Vec(HeaderFieldIdl),
        body: IDL.Vec(IDL.Nat8),
        certificate_version: IDL.Opt(IDL.Nat16)
    });
    const HttpResponseIdl = IDL.Record({
        status_code: IDL.Nat16,
        headers: IDL.Vec(HeaderFieldIdl),
        body: IDL.Vec(IDL.Nat8),
        upgrade: IDL.Opt(IDL.Bool)
    });
    const AssetSummaryIdl = IDL.Record({ path: IDL.Text, content_type: IDL.Text, length: IDL.Nat64 });
    const ErrorIdl = IDL.Variant({ Unauthorized: IDL.Text, InvalidInput: IDL.Text });
    const PutAssetArgsIdl = IDL.Record({ path: IDL.Text, content_type: IDL.Text, chunk: IDL.Vec(IDL.Nat8), append: IDL.Bool });
    return {
        HttpRequestIdl,
        HttpResponseIdl,
        PutAssetArgsIdl,
        http_request: { args: [HttpRequestIdl], ret: HttpResponseIdl },
        put_asset: { args: [PutAssetArgsIdl], ret: IDL.Variant({ Ok: AssetSummaryIdl, Err: ErrorIdl }) },
        delete_asset: { args: [IDL.Text], ret: IDL.Variant({ Ok: IDL.Null, Err: ErrorIdl }) },
        list_assets: { args: [] as CandidIdl.Type[], ret: IDL.Vec(AssetSummaryIdl) }
    };
}

export const dashboardAssetsIdlFactory = ({ IDL }: { IDL: typeof CandidIdl }): CandidIdl.ServiceClass => {
    const m = dashboardAssetsMethods(IDL);
    return IDL.Service({
        http_request: IDL.Func([m.HttpRequestIdl], [m.http_request.ret], ['query']),
        put_asset: IDL.Func([m.PutAssetArgsIdl], [m.put_asset.ret], []),
        delete_asset: IDL.Func([IDL.Text], [m.delete_asset.ret], []),
        list_assets: IDL.Func([], [m.list_assets.ret], ['query'])
    });
};
