import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';

import { browserResponseOf, canisterIdOfRequest, httpRequestCall } from './canister-http';

const ID = 'rrkah-fqaaa-aaaaa-aaaaq-cai';
const canister = Principal.fromText(ID);
const ResponseIdl = IDL.Record({ status_code: IDL.Nat16, headers: IDL.Vec(IDL.Tuple(IDL.Text, IDL.Text)), body: IDL.Vec(IDL.Nat8), upgrade: IDL.Opt(IDL.Bool), streaming_strategy: IDL.Opt(IDL.Null) });
const reply = (value: object) => ({ kind: 'reply' as const, payload: new Uint8Array(IDL.encode([ResponseIdl], [{ streaming_strategy: [], upgrade: [], ...value }])) });

describe('canisterIdOfRequest', () => {
    it('reads the canister from a <id>.localhost host, with or without a port or raw label', () => {
        expect(canisterIdOfRequest(`${ID}.localhost:5170`, '/')?.toText()).toBe(ID);
        expect(canisterIdOfRequest(`${ID}.raw.localhost`, '/x')?.toText()).toBe(ID);
    });

    it('reads the canisterId query parameter on a plain host', () => {
        expect(canisterIdOfRequest('127.0.0.1:5170', `/index.html?x=1&canisterId=${ID}`)?.toText()).toBe(ID);
    });

    it('names no canister for a plain host without the parameter, or a malformed id', () => {
        expect(canisterIdOfRequest('127.0.0.1:5170', '/')).toBeNull();
        expect(canisterIdOfRequest('localhost', '/')).toBeNull();
        expect(canisterIdOfRequest('nope.localhost', '/?canisterId=bad-id')).toBeNull();
        expect(canisterIdOfRequest('rrkah-fqaaa-aaaaa-aaaaq-caj.localhost', '/')).toBeNull();
    });
});

describe('http_request through the gateway', () => {
    it('asks the canister anonymously with the path and query as url', () => {
        const call = httpRequestCall(canister, { method: 'GET', url: '/a?b=1', headers: [['accept', '*/*']], body: new Uint8Array() });
        expect(call.method).toBe('http_request');
        expect(Principal.fromUint8Array(call.sender).isAnonymous()).toBe(true);
        const [arg] = IDL.decode([IDL.Record({ method: IDL.Text, url: IDL.Text, headers: IDL.Vec(IDL.Tuple(IDL.Text, IDL.Text)) })], call.payload) as unknown as [{ url: string; headers: unknown }];
        expect(arg.url).toBe('/a?b=1');
        expect(arg.headers).toEqual([['accept', '*/*']]);
    });

    it("answers the canister's status, headers and body, dropping headers the gateway owns", () => {
        const response = browserResponseOf(canister, reply({ status_code: 200, headers: [['Content-Type', 'text/html'], ['Content-Length', '999']], body: new TextEncoder().encode('<p>hi</p>') }));
        expect(response.status).toBe(200);
        expect(response.headers).toEqual([['Content-Type', 'text/html']]);
        expect(new TextDecoder().decode(response.body)).toBe('<p>hi</p>');
    });

    it('answers 502 for a reject or a reply that is no HttpResponse, 501 for an upgrade request', () => {
        expect(browserResponseOf(canister, { kind: 'reject', reject: { rejectCode: 3, rejectMessage: 'no method http_request', errorCode: 'CanisterMethodNotFound', certified: false } }).status).toBe(502);
        expect(browserResponseOf(canister, { kind: 'reply', payload: new Uint8Array(IDL.encode([IDL.Text], ['x'])) }).status).toBe(502);
        expect(browserResponseOf(canister, reply({ status_code: 200, headers: [], body: [], upgrade: [true] })).status).toBe(501);
    });
});
