import { HttpErrorCode, HttpFetchErrorCode, MissingSignatureErrorCode, ProtocolError, TransportError, TrustError } from '@dfinity/agent';

import { callFailureOf, httpErrorCodeOf, isMissingSubnetKeys } from './errors';

/** A fetch failure as Node's fetch reports it: a TypeError whose cause carries the system code. */
function fetchFailure(code: string | undefined, message = 'connect failed'): TypeError {
    const cause = Object.assign(new Error(message), code === undefined ? {} : { code });
    return new TypeError('fetch failed', { cause });
}

const NOT_HOSTED_BODY = 'error: canister_not_found\ndetails: IC0301: Canister rdmx6-jaaaa-aaaaa-aaadq-cai not found: no subnet hosts this canister id.';

describe('Client > call failures classified by cause', () => {
    it.each([
        ['ECONNREFUSED', 'ConnectionRefused'],
        ['ENOTFOUND', 'UnknownHost'],
        ['ERR_SSL_WRONG_VERSION_NUMBER', 'Tls'],
        ['UND_ERR_CONNECT_TIMEOUT', 'Timeout'],
        ['EHOSTUNREACH', 'Other']
    ])('a failed fetch with %s is Unreachable/%s', (code, cause) => {
        expect(callFailureOf(TransportError.fromCode(new HttpFetchErrorCode(fetchFailure(code))))).toMatchObject({ kind: 'Unreachable', cause, systemCode: code });
    });

    it('a failed fetch without a system code says why (fetch refuses some ports)', () => {
        expect(callFailureOf(TransportError.fromCode(new HttpFetchErrorCode(fetchFailure(undefined, 'bad port'))))).toEqual({ kind: 'Unreachable', cause: 'Other', systemCode: undefined, message: 'the network did not answer (bad port)' });
    });

    it('an HTTP 400 naming IC0301 is a canister no subnet hosts; other HTTP errors stay Http with their IC code', () => {
        expect(callFailureOf(ProtocolError.fromCode(new HttpErrorCode(400, 'Bad Request', [], NOT_HOSTED_BODY)))).toMatchObject({ kind: 'CanisterNotHosted' });
        expect(callFailureOf(ProtocolError.fromCode(new HttpErrorCode(404, 'Not Found', [], 'no endpoint GET /api/v2/status')))).toMatchObject({ kind: 'Http', status: 404, errorCode: undefined });
        expect(httpErrorCodeOf('error: payload_too_large\ndetails: IC0000: too big')).toBe('IC0000');
        expect(httpErrorCodeOf('IC0301 somewhere in prose')).toBeUndefined();
    });

    it('a missing query signature is recognised as missing subnet keys (diagnosed by the client)', () => {
        const failure = callFailureOf(TrustError.fromCode(new MissingSignatureErrorCode()));
        expect(failure).toMatchObject({ kind: 'Agent', agentCode: 'MissingSignatureErrorCode' });
        expect(isMissingSubnetKeys(failure!)).toBe(true);
    });

    it('leaves errors that are not call failures alone', () => {
        expect(callFailureOf(new RangeError('bug'))).toBeNull();
    });
});
