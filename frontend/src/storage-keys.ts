/** The localStorage entry of the local key on the local network (`Ed25519KeyIdentity.toJSON()`); the browser tests sign in through it. */
export const LOCAL_KEY_STORAGE = 'deflow.dashboard.localKey';
