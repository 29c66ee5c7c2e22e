import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Ed25519KeyIdentity } from '@dfinity/identity';
import { Secp256k1KeyIdentity } from '@dfinity/identity-secp256k1';

import { CliError } from './errors';
import { configDir, identityFromPem, loadDefaultIdentity, loadIdentityFile } from './identity';

/** The EC PARAMETERS block dfx writes before a secp256k1 key (OID 1.3.132.0.10). */
const EC_PARAMS = '-----BEGIN EC PARAMETERS-----\nBgUrgQQACg==\n-----END EC PARAMETERS-----\n';

describe('CLI > identities from PEM', () => {
    let dir: string;
    beforeEach(() => {
        dir = mkdtempSync(join(tmpdir(), 'deflow-identity-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('loads a dfx-style Ed25519 PKCS#8 key with the same public key', () => {
        const { privateKey, publicKey } = generateKeyPairSync('ed25519');
        const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
        const loaded = identityFromPem(pem);
        expect(loaded.keyType).toBe('Ed25519');
        expect(loaded.identity).toBeInstanceOf(Ed25519KeyIdentity);
        const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
        expect(Buffer.from(loaded.identity.getPublicKey().toRaw!())).toEqual(raw);
    });

    it('loads an Ed25519 key in PKCS#8 v2 form (the public key appended), as icp identity export writes it', () => {
        // `icp identity export` of an imported Node Ed25519 key: OneAsymmetricKey version 1 with [1] publicKey.
        const v2 = '-----BEGIN PRIVATE KEY-----\nMFECAQEwBQYDK2VwBCIEILK0yp55Uz3+2zR9jMmAwgWr2ejgZ1DggRBSdV2kBZWn\ngSEAfkwup6ppQ+MDnNdHIOToVKp6S93cmSID3oYjnm/xB+I=\n-----END PRIVATE KEY-----\n';
        const v1 = '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEILK0yp55Uz3+2zR9jMmAwgWr2ejgZ1DggRBSdV2kBZWn\n-----END PRIVATE KEY-----\n';
        const loaded = identityFromPem(v2);
        expect(loaded.keyType).toBe('Ed25519');
        expect(loaded.identity.getPrincipal().toText()).toBe(identityFromPem(v1).identity.getPrincipal().toText());
        // The appended public key is the one of that seed.
        expect(Buffer.from(loaded.identity.getPublicKey().toRaw!()).toString('base64')).toBe('fkwup6ppQ+MDnNdHIOToVKp6S93cmSID3oYjnm/xB+I=');
    });

    it('still refuses a PRIVATE KEY block that is neither form, as bad input', () => {
        expect(() => identityFromPem('-----BEGIN PRIVATE KEY-----\nMAMCAQE=\n-----END PRIVATE KEY-----\n')).toThrow(/cannot read the private key/);
    });

    it('loads a dfx-style secp256k1 SEC1 key, with the EC PARAMETERS block before it', () => {
        const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
        const pem = EC_PARAMS + privateKey.export({ format: 'pem', type: 'sec1' }).toString();
        expect(pem).toContain('BEGIN EC PRIVATE KEY');
        const path = join(dir, 'secp.pem');
        writeFileSync(path, pem);
        const loaded = loadIdentityFile(path);
        expect(loaded.keyType).toBe('secp256k1');
        expect(loaded.identity).toBeInstanceOf(Secp256k1KeyIdentity);
        const jwk = publicKey.export({ format: 'jwk' });
        const uncompressed = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]);
        expect(Buffer.from(loaded.identity.getPublicKey().toRaw!())).toEqual(uncompressed);
    });

    it('loads a secp256k1 key in PKCS#8 form too', () => {
        const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
        expect(identityFromPem(privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()).keyType).toBe('secp256k1');
    });

    it.each([
        ['no PEM at all', 'hello'],
        ['a public key', generateKeyPairSync('ed25519').publicKey.export({ format: 'pem', type: 'spki' }).toString()],
        ['a P-256 key', generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'sec1' }).toString()],
        ['a corrupt body', '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n']
    ])('refuses %s as bad input', (_what, pem) => {
        expect(() => identityFromPem(pem, 'x.pem')).toThrow(CliError);
        try {
            identityFromPem(pem, 'x.pem');
        } catch (error) {
            expect((error as CliError).kind).toBe('BadInput');
        }
    });

    it('reports a missing file as bad input', () => {
        expect(() => loadIdentityFile(join(dir, 'nope.pem'))).toThrow(/cannot read identity file .*ENOENT/);
    });

    it('creates the default identity once, 0600, and reuses it', () => {
        const env = { DEFLOW_CONFIG_DIR: join(dir, 'cfg') };
        const first = loadDefaultIdentity(env);
        expect(first.created).toBe(true);
        expect(statSync(join(dir, 'cfg', 'identity.pem')).mode & 0o777).toBe(0o600);
        expect(readFileSync(join(dir, 'cfg', 'identity.pem'), 'utf8')).toContain('-----BEGIN PRIVATE KEY-----');
        const second = loadDefaultIdentity(env);
        expect(second.created).toBe(false);
        expect(second.identity.getPrincipal().toText()).toBe(first.identity.getPrincipal().toText());
    });

    it('keeps the config folder under XDG_CONFIG_HOME or ~/.config', () => {
        expect(configDir({ XDG_CONFIG_HOME: '/x' })).toBe('/x/deflow');
        expect(configDir({})).toMatch(/\.config\/deflow$/);
    });
});
