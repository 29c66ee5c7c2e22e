import { messageForCanister, rejects } from './errors';

const ID = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xe0, 0, 0, 1, 1);

describe('Localnet > reject messages for calling canisters', () => {
    it('prefixes execution failures with their IC error code', () => {
        expect(messageForCanister(rejects.managementMethodNotFound('test'))).toBe("IC0536: Management canister has no method 'test'");
        expect(messageForCanister(rejects.compositeQueryReplicated())).toBe('IC0527: Composite query cannot be called in replicated mode');
        expect(messageForCanister(rejects.didNotReply(ID))).toMatch(/^IC0506: Error from Canister /);
    });

    it('keeps delivery failures, explicit rejects and composite-query method misses bare', () => {
        expect(messageForCanister(rejects.noRoute(ID))).toMatch(/^No route to canister /);
        expect(messageForCanister(rejects.canisterNotFound(ID))).toMatch(/^Canister .* not found$/);
        expect(messageForCanister(rejects.canisterStopped(ID))).toMatch(/^Canister .* is stopped$/);
        expect(messageForCanister(rejects.explicitReject('no'))).toBe('no');
        expect(messageForCanister(rejects.noQueryMethod(ID, 'increment'))).toMatch(/^Canister .* has no query method 'increment'$/);
    });
});
