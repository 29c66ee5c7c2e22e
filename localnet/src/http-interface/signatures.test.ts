import { Ed25519KeyIdentity, DelegationChain, DelegationIdentity } from '@dfinity/identity';
import { Secp256k1KeyIdentity } from '@dfinity/identity-secp256k1';
import { Principal } from '@dfinity/principal';
import type { SignIdentity } from '@dfinity/agent';

import { decodeCbor, encodeCbor, isCborMap, type CborMap } from './cbor';
import { requestIdOf } from './request-id';
import { ANONYMOUS, authenticate, REQUEST_DOMAIN } from './signatures';

const NOW = 1_700_000_000_000_000_000n;
const CANISTER = Principal.fromText('ryjl3-tyaaa-aaaaa-aaaba-cai').toUint8Array();

/** Signs a call the way HttpAgent does (the identity's own transformRequest), then decodes the envelope. */
async function signedEnvelope(identity: SignIdentity): Promise<{ envelope: CborMap; content: CborMap }> {
    const body = {
        request_type: 'call',
        canister_id: Principal.fromUint8Array(CANISTER),
        method_name: 'increment',
        arg: Uint8Array.of(0x44, 0x49, 0x44, 0x4c, 0, 0),
        sender: identity.getPrincipal(),
        ingress_expiry: NOW + 60_000_000_000n
    };
    const transformed = await identity.transformRequest({ request: {}, endpoint: 'call', body } as unknown as Parameters<SignIdentity['transformRequest']>[0]);
    const { Cbor } = await import('@dfinity/agent');
    const decoded = decodeCbor(new Uint8Array(Cbor.encode((transformed as { body: unknown }).body)));
    if (!isCborMap(decoded) || !isCborMap(decoded['content'] ?? null)) throw new Error('bad envelope');
    return { envelope: decoded, content: decoded['content'] as CborMap };
}

function check(envelope: CborMap, content: CborMap, overrides: Partial<Parameters<typeof authenticate>[0]> = {}) {
    return authenticate({
        sender: content['sender'] as Uint8Array,
        requestId: requestIdOf(content),
        senderPubkey: envelope['sender_pubkey'] as Uint8Array | undefined,
        senderSig: envelope['sender_sig'] as Uint8Array | undefined,
        senderDelegation: envelope['sender_delegation'],
        target: CANISTER,
        now: NOW,
        ...overrides
    });
}

describe('request authentication', () => {
    it('accepts Ed25519 and secp256k1 signatures made by the dfinity identities', async () => {
        for (const identity of [Ed25519KeyIdentity.generate(), Secp256k1KeyIdentity.generate()]) {
            const { envelope, content } = await signedEnvelope(identity);
            expect(check(envelope, content)).toBeNull();
        }
    });

    it('refuses a signature over another request', async () => {
        const { envelope, content } = await signedEnvelope(Ed25519KeyIdentity.generate());
        expect(check(envelope, content, { requestId: new Uint8Array(32) })?.status).toBe(400);
    });

    it('refuses a sender that does not own the public key', async () => {
        const { envelope, content } = await signedEnvelope(Ed25519KeyIdentity.generate());
        expect(check(envelope, content, { sender: Ed25519KeyIdentity.generate().getPrincipal().toUint8Array() })?.status).toBe(403);
    });

    it('accepts anonymous requests only without keys and signatures', () => {
        const base = { sender: ANONYMOUS, requestId: new Uint8Array(32), senderPubkey: undefined, senderSig: undefined, senderDelegation: undefined, target: CANISTER, now: NOW };
        expect(authenticate(base)).toBeNull();
        expect(authenticate({ ...base, senderSig: new Uint8Array(64) })?.status).toBe(400);
    });

    it('follows an Ed25519 delegation chain, checking expiry and targets', async () => {
        const root = Ed25519KeyIdentity.generate();
        const session = Ed25519KeyIdentity.generate();
        const chain = await DelegationChain.create(root, session.getPublicKey(), new Date(Number(NOW / 1_000_000n) + 3_600_000), { targets: [Principal.fromUint8Array(CANISTER)] });
        const identity = DelegationIdentity.fromDelegation(session, chain);
        const { envelope, content } = await signedEnvelope(identity);
        expect(envelope['sender_delegation']).toBeDefined();
        expect(check(envelope, content)).toBeNull();
        expect(check(envelope, content, { now: NOW + 7_200_000_000_000n })?.message).toMatch(/expired/);
        expect(check(envelope, content, { target: Principal.fromText('aaaaa-aa').toUint8Array() })?.status).toBe(403);
        // A chain signed by another root does not vouch for this sender.
        const forged = await DelegationChain.create(Ed25519KeyIdentity.generate(), session.getPublicKey(), new Date(Number(NOW / 1_000_000n) + 3_600_000));
        const forgedEnvelope = { ...envelope, sender_delegation: decodeCbor(encodeCbor(forged.delegations.map((d) => ({ delegation: { pubkey: new Uint8Array(d.delegation.pubkey), expiration: d.delegation.expiration }, signature: new Uint8Array(d.signature) })))) };
        expect(check(forgedEnvelope, content)?.status).toBe(400);
    });

    it('uses the documented request domain separator', () => {
        expect(Buffer.from(REQUEST_DOMAIN).toString('hex')).toBe('0a69632d72657175657374');
    });
});
