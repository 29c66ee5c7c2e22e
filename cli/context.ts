/**
 * What a command runs with: its flags, where to print, and lazily (only when it talks to a
 * network) the identity, the agent and the typed DeFlow client.
 */
import { createDeflowClient, type DeflowClient } from '../client';
import type { OptionName, OptionValues } from './args';
import type { ExitCode } from './errors';
import { loadDefaultIdentity, loadIdentityFile, type LoadedIdentity } from './identity';
import { createAgent, requireIds, resolveCanisterIds, resolveNetwork, type NetworkTarget } from './network';
import type { Output } from './output';

/** The environment of one CLI run. */
export type CommandContext = {
    readonly options: OptionValues;
    readonly json: boolean;
    readonly out: Output;
    readonly env: NodeJS.ProcessEnv;
    readonly cwd: string;
    network(): NetworkTarget;
    identity(): LoadedIdentity;
    client(): Promise<DeflowClient>;
};

/** One `deflow` command. */
export type Command = {
    /** The command words, e.g. `['workflow', 'create']`. */
    readonly words: readonly string[];
    /** Argument synopsis for the help text, e.g. `<file>`. */
    readonly synopsis: string;
    readonly summary: string;
    /** Flags of its own (global flags are always accepted). */
    readonly options: readonly OptionName[];
    readonly args: { min: number; max: number };
    run(ctx: CommandContext, args: string[]): Promise<ExitCode | void>;
};

/** Builds the context of one run; nothing touches the network or the disk until asked. */
export function createContext(options: OptionValues, out: Output, env: NodeJS.ProcessEnv, cwd: string): CommandContext {
    let network: NetworkTarget | undefined;
    let identity: LoadedIdentity | undefined;
    let client: Promise<DeflowClient> | undefined;
    const ctx: CommandContext = {
        options,
        json: options.json === true,
        out,
        env,
        cwd,
        network() {
            network ??= resolveNetwork(options.network ?? env.DEFLOW_NETWORK ?? 'local', env);
            return network;
        },
        identity() {
            if (identity === undefined) {
                const path = options.identity ?? env.DEFLOW_IDENTITY;
                if (path !== undefined && path !== '') {
                    identity = loadIdentityFile(path);
                } else {
                    const loaded = loadDefaultIdentity(env);
                    if (loaded.created) out.err(`created a new identity ${loaded.identity.getPrincipal().toText()} in ${loaded.source}`);
                    identity = loaded;
                }
            }
            return identity;
        },
        client() {
            client ??= (async () => {
                const target = ctx.network();
                const { ids } = resolveCanisterIds(
                    { orchestrator: options.orchestrator, scheduler: options.scheduler, monitor: options.monitor },
                    { network: target, deploymentFile: options.deployment, cwd, env }
                );
                const canisterIds = requireIds(ids);
                const agent = await createAgent(target, ctx.identity().identity);
                return createDeflowClient({ agent, canisterIds });
            })();
            return client;
        }
    };
    return ctx;
}
