/**
 * The deployment configuration every DeFlow canister keeps in stable memory (peers, admins),
 * and the caller checks built on it. Only this module touches its stable map.
 */
import { isController, Principal, StableBTreeMap } from 'azle';

import type { DeploymentConfig, PeerRole } from '../../shared/common/deployment';

const CONFIG_KEY = 'config';

export class DeploymentStore {
    private readonly store: StableBTreeMap<string, DeploymentConfig>;

    /** `memoryId` comes from the owning canister's memory table (`memory.ts`). */
    constructor(memoryId: number) {
        this.store = new StableBTreeMap<string, DeploymentConfig>(memoryId);
    }

    /**
     * Applies the init/post_upgrade argument. Install must carry a configuration; an upgrade
     * without one keeps the stored configuration. Traps (so the install or upgrade is
     * refused and nothing changes) when no configuration exists at all.
     */
    applyInstallArg(arg: [] | [DeploymentConfig], context: 'init' | 'post_upgrade'): void {
        const config = arg[0];
        if (config !== undefined) {
            this.store.insert(CONFIG_KEY, config);
            return;
        }
        if (context === 'init' || this.store.get(CONFIG_KEY) === undefined) {
            throw new Error('DeFlow canisters need a DeploymentConfig install argument: (opt record { peers = ...; admins = ... })');
        }
    }

    get config(): DeploymentConfig {
        const config = this.store.get(CONFIG_KEY);
        if (config === undefined) throw new Error('invariant broken: no deployment configuration stored');
        return config;
    }

    peer(role: PeerRole): Principal {
        return this.config.peers[role];
    }

    /** True when `caller` is the canister wired as `role`. */
    isPeer(caller: Principal, role: PeerRole): boolean {
        return this.config.peers[role].toText() === caller.toText();
    }

    /**
     * Admins are the configured admins plus the canister's controllers, except DeFlow's own
     * canisters: the monitor controls its peers (to read their canister_status and top them
     * up) and the executor controls itself (to install agents from its chunk store). Those
     * controls are for the management canister only; they make neither an admin here.
     */
    isAdmin(caller: Principal): boolean {
        if (this.config.admins.some((admin) => admin.toText() === caller.toText())) return true;
        const text = caller.toText();
        if (Object.values(this.config.peers).some((peer) => peer.toText() === text)) return false;
        return isController(caller);
    }
}
