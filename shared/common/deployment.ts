import { IDL } from '@dfinity/candid';

import { c, type Infer } from './codec';

/**
 * The four DeFlow canisters wired to each other at install time. Inter-canister endpoints
 * accept only these principals.
 *
 * @example
 * const peers: Peers = { orchestrator, scheduler, executor, monitor };
 */
export const PeersCodec = c.record({
    orchestrator: c.principal,
    scheduler: c.principal,
    executor: c.principal,
    monitor: c.principal
});
export type Peers = Infer<typeof PeersCodec>;

/**
 * Every DeFlow canister's init and post_upgrade argument. `admins` may toggle emergency mode
 * and change operational settings (controllers may too).
 *
 * Install needs `opt DeploymentConfig = opt record {...}`; an upgrade with `null` keeps the
 * stored configuration, an upgrade with a value replaces it.
 *
 * @example
 * // dfx deploy orchestrator --argument '(opt record { peers = record { orchestrator = principal "…"; … }; admins = vec {} })'
 */
export const DeploymentConfigCodec = c.record({
    peers: PeersCodec,
    admins: c.vec(c.principal)
});
export type DeploymentConfig = Infer<typeof DeploymentConfigCodec>;

/** The Candid init argument list of every DeFlow canister: `(opt DeploymentConfig)`. */
export const DeploymentInitArgs: IDL.Type[] = [IDL.Opt(DeploymentConfigCodec.idl)];

/** Roles of the four canisters, as named in `Peers`. */
export type PeerRole = keyof Peers;
export const PEER_ROLES: readonly PeerRole[] = ['orchestrator', 'scheduler', 'executor', 'monitor'];

/** Encodes the install argument for one canister (tests, `npm start`, the CLI). */
export function encodeDeploymentArg(config: DeploymentConfig | null): Uint8Array {
    return new Uint8Array(IDL.encode(DeploymentInitArgs, [config === null ? [] : [config]]));
}

/**
 * The init argument as Candid text, `(opt record { peers = ...; admins = ... })`, for tools
 * that take arguments as text (`dfx --argument`, `icp canister install --args`, icp.yaml).
 */
export function deploymentArgText(config: DeploymentConfig): string {
    const principal = (p: { toText(): string }): string => `principal "${p.toText()}"`;
    const peers = PEER_ROLES.map((role) => `${role} = ${principal(config.peers[role])}`).join('; ');
    return `(opt record { peers = record { ${peers} }; admins = vec { ${config.admins.map(principal).join('; ')} } })`;
}
