/**
 * Who the dashboard acts as. On the local network: a local Ed25519 key kept in this browser's
 * localStorage (made on first sign-in; the same key signs in again until signed out). On the
 * IC: Internet Identity through @dfinity/auth-client. Either way the identity signs every call,
 * so the canisters see this principal as the caller and decide what it may see and do.
 */
import { HttpAgent, type Identity } from '@dfinity/agent';
import { AuthClient } from '@dfinity/auth-client';
import { Ed25519KeyIdentity } from '@dfinity/identity';

import { createDeflowClient, type DeflowClient } from '../../client';
import type { DashboardConfig } from './config';
import { LOCAL_KEY_STORAGE } from './storage-keys';


export type Session = { identity: Identity; principal: string; isAdmin: boolean; client: DeflowClient; agent: HttpAgent; signOut: () => Promise<void> };

async function sessionFor(config: DashboardConfig, identity: Identity, signOut: () => Promise<void>): Promise<Session> {
    const host = config.host === '' ? window.location.origin : config.host;
    const agent = await HttpAgent.create({ host, identity, shouldFetchRootKey: config.network === 'local' });
    const principal = identity.getPrincipal().toText();
    return { identity, principal, isAdmin: config.admins.includes(principal), client: createDeflowClient({ agent, canisterIds: config.canisterIds }), agent, signOut };
}

function storedLocalKey(): Ed25519KeyIdentity | null {
    const stored = localStorage.getItem(LOCAL_KEY_STORAGE);
    return stored === null ? null : Ed25519KeyIdentity.fromJSON(stored);
}

/** The session already signed in, if any (a stored local key, or a live Internet Identity delegation). */
export async function resumeSession(config: DashboardConfig): Promise<Session | null> {
    if (config.network === 'local') {
        const key = storedLocalKey();
        return key === null ? null : await sessionFor(config, key, async () => localStorage.removeItem(LOCAL_KEY_STORAGE));
    }
    const auth = await AuthClient.create();
    return (await auth.isAuthenticated()) ? await sessionFor(config, auth.getIdentity(), () => auth.logout()) : null;
}

/** Signs in: a new local key on the local network, Internet Identity's window on the IC. */
export async function signIn(config: DashboardConfig): Promise<Session> {
    if (config.network === 'local') {
        const key = storedLocalKey() ?? Ed25519KeyIdentity.generate();
        localStorage.setItem(LOCAL_KEY_STORAGE, JSON.stringify(key.toJSON()));
        return await sessionFor(config, key, async () => localStorage.removeItem(LOCAL_KEY_STORAGE));
    }
    const auth = await AuthClient.create();
    await new Promise<void>((resolve, reject) => void auth.login({ onSuccess: () => resolve(), onError: (reason) => reject(new Error(`Internet Identity sign-in failed: ${reason ?? 'unknown reason'}`)) }));
    return await sessionFor(config, auth.getIdentity(), () => auth.logout());
}
