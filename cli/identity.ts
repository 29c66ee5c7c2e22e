/**
 * Identities for the CLI: a dfx-style PEM file (`--identity path.pem`), or a default Ed25519
 * key generated once and kept in the user's config folder (`~/.config/deflow/identity.pem`,
 * mode 0600), so the same user owns the same workflows across runs.
 *
 * Supported PEM files (what `dfx identity new` and `openssl` write):
 * - Ed25519, PKCS#8 `-----BEGIN PRIVATE KEY-----` (with or without the public key);
 * - secp256k1, SEC1 `-----BEGIN EC PRIVATE KEY-----` (an `EC PARAMETERS` block before it is ignored),
 *   or PKCS#8 `PRIVATE KEY` holding a secp256k1 key.
 * Node's own key parser reads the DER, so no ASN.1 is decoded here.
 */
import { createPrivateKey, generateKeyPairSync, type JsonWebKey, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

import type { SignIdentity } from '@dfinity/agent';
import { Ed25519KeyIdentity } from '@dfinity/identity';
import { Secp256k1KeyIdentity } from '@dfinity/identity-secp256k1';

import { CliError, messageOf, nodeErrorCode } from './errors';

/** Which kind of key an identity signs with. */
export type KeyType = 'Ed25519' | 'secp256k1';

/** A loaded identity and where it came from. */
export type LoadedIdentity = { identity: SignIdentity; keyType: KeyType; source: string };

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]+?-----END \1-----/g;

function fromBase64Url(text: string | undefined, what: string): Uint8Array {
    if (text === undefined) throw new CliError('BadInput', `the PEM key has no ${what}`);
    return new Uint8Array(Buffer.from(text, 'base64url'));
}

function identityOfKey(key: KeyObject, source: string): LoadedIdentity {
    const jwk: JsonWebKey = key.export({ format: 'jwk' });
    if (key.asymmetricKeyType === 'ed25519') {
        // The JWK `d` of an Ed25519 key is its 32-byte seed, which is what the agent's identity takes.
        return { identity: Ed25519KeyIdentity.generate(fromBase64Url(jwk.d, 'private part')), keyType: 'Ed25519', source };
    }
    if (key.asymmetricKeyType === 'ec' && jwk.crv === 'secp256k1') {
        return { identity: Secp256k1KeyIdentity.fromSecretKey(fromBase64Url(jwk.d, 'private part')), keyType: 'secp256k1', source };
    }
    const curve = key.asymmetricKeyType === 'ec' ? `EC ${jwk.crv ?? 'unknown curve'}` : (key.asymmetricKeyType ?? 'unknown');
    throw new CliError('BadInput', `${source}: unsupported key type ${curve}; use an Ed25519 or secp256k1 key (dfx identity new)`);
}

/**
 * Reads an identity from PEM text.
 *
 * @example
 * const { identity, keyType } = identityFromPem(readFileSync('identity.pem', 'utf8'), 'identity.pem');
 */
export function identityFromPem(pem: string, source = 'PEM'): LoadedIdentity {
    const blocks = [...pem.matchAll(PEM_BLOCK)].filter((m) => m[1] !== 'EC PARAMETERS');
    const block = blocks[0];
    if (block === undefined) throw new CliError('BadInput', `${source}: no PEM private key found (expected -----BEGIN PRIVATE KEY----- or -----BEGIN EC PRIVATE KEY-----)`);
    if (block[1] !== 'PRIVATE KEY' && block[1] !== 'EC PRIVATE KEY') {
        throw new CliError('BadInput', `${source}: a ${block[1]} block is not a private key (expected PRIVATE KEY or EC PRIVATE KEY)`);
    }
    let key: KeyObject;
    try {
        key = createPrivateKey({ key: block[0], format: 'pem' });
    } catch (error) {
        const seed = block[1] === 'PRIVATE KEY' ? ed25519SeedOfOneAsymmetricKey(pemBody(block[0])) : null;
        if (seed !== null) return { identity: Ed25519KeyIdentity.generate(seed), keyType: 'Ed25519', source };
        throw new CliError('BadInput', `${source}: cannot read the private key: ${messageOf(error)}`);
    }
    return identityOfKey(key, source);
}

function pemBody(block: string): Uint8Array {
    return new Uint8Array(Buffer.from(block.replace(/-----[A-Z0-9 ]+-----/g, '').replace(/\s+/g, ''), 'base64'));
}

/** SEQUENCE { INTEGER 1, SEQUENCE { OID 1.3.101.112 (Ed25519) }, OCTET STRING { OCTET STRING (32) } ... */
const ONE_ASYMMETRIC_KEY_ED25519_PREFIX = [0x02, 0x01, 0x01, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20];

/**
 * The 32-byte seed of an Ed25519 key in PKCS#8 v2 form (RFC 5958 OneAsymmetricKey: version 1,
 * the public key after the private one), which `icp identity export` and `dfx identity export`
 * write and Node's OpenSSL refuses ("DECODER routines::unsupported"). Null for anything else.
 *
 * @example
 * ed25519SeedOfOneAsymmetricKey(der) // Uint8Array(32) for `icp identity export` of an Ed25519 identity
 */
export function ed25519SeedOfOneAsymmetricKey(der: Uint8Array): Uint8Array | null {
    if (der[0] !== 0x30 || der.length < 2) return null;
    // The outer SEQUENCE's length: short form (< 128 bytes, as these keys are) only.
    if ((der[1]! & 0x80) !== 0 || der[1] !== der.length - 2) return null;
    const prefix = der.subarray(2, 2 + ONE_ASYMMETRIC_KEY_ED25519_PREFIX.length);
    if (!ONE_ASYMMETRIC_KEY_ED25519_PREFIX.every((byte, i) => prefix[i] === byte)) return null;
    const start = 2 + ONE_ASYMMETRIC_KEY_ED25519_PREFIX.length;
    return der.length >= start + 32 ? der.slice(start, start + 32) : null;
}

/** Reads an identity from a PEM file. */
export function loadIdentityFile(path: string): LoadedIdentity {
    let text: string;
    try {
        text = readFileSync(path, 'utf8');
    } catch (error) {
        const code = nodeErrorCode(error) ?? messageOf(error);
        throw new CliError('BadInput', `cannot read identity file ${path} (${code})`);
    }
    return identityFromPem(text, path);
}

/** The user's DeFlow config folder: `$DEFLOW_CONFIG_DIR`, else `$XDG_CONFIG_HOME/deflow`, else `~/.config/deflow`. */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
    if (env.DEFLOW_CONFIG_DIR !== undefined && env.DEFLOW_CONFIG_DIR !== '') return env.DEFLOW_CONFIG_DIR;
    const xdg = env.XDG_CONFIG_HOME;
    return join(xdg !== undefined && xdg !== '' ? xdg : join(homedir(), '.config'), 'deflow');
}

/** A new Ed25519 key as dfx writes it: PKCS#8 PEM. */
export function generateEd25519Pem(): string {
    const { privateKey } = generateKeyPairSync('ed25519');
    return privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
}

/**
 * The default identity: `<configDir>/identity.pem`, created (Ed25519, mode 0600, folder 0700)
 * on first use.
 */
export function loadDefaultIdentity(env: NodeJS.ProcessEnv = process.env): LoadedIdentity & { created: boolean } {
    const path = join(configDir(env), 'identity.pem');
    let created = false;
    if (!existsSync(path)) {
        mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
        writeFileSync(path, generateEd25519Pem(), { mode: 0o600, flag: 'wx' });
        chmodSync(path, 0o600);
        created = true;
    }
    return { ...loadIdentityFile(path), created };
}
