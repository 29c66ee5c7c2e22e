/**
 * What a command runs with: its flags, where to print, and lazily (only when it talks to a
 * network) the identity, the agent and the typed DeFlow client.
 */
import { createDeflowClient, type DeflowClient } from '../client';
import type { OptionName, OptionValues } from './args';
import type { ExitCode } from './errors';
import { loadDefaultIdentity, loadIdentityFile, type LoadedIdentity } from './identity';
import { createAgent, demoIdsBeside, deploymentFileFor, readDeploymentFile, requireIds, resolveCanisterIds, resolveNetwork, type NetworkTarget } from './network';
import { printLines, toJson, type Output } from './output';
import { placeholderValues } from './placeholders';

/** The environment of one CLI run. */
export type CommandContext = {
    readonly options: OptionValues;
    readonly json: boolean;
    readonly out: Output;
    readonly env: NodeJS.ProcessEnv;
    readonly cwd: string;
    network(): NetworkTarget;
    /** The network if {@link network} resolved it already (for error messages), else `undefined`. */
    resolvedNetwork(): NetworkTarget | undefined;
    identity(): LoadedIdentity;
    client(): Promise<DeflowClient>;
    /** The deployment file in use (`--deployment`, or `.deflow/deployment.json` found for a local network). */
    deploymentFile(): string | undefined;
    /** Values of workflow-file placeholders (`--var`, `$DEFLOW_VAR_…`, the demo ids file, the deployment). */
    placeholder(name: string): string | undefined;
    /** Prints `value` as JSON with `--json`, else the human `lines`. */
    show(value: unknown, lines: () => readonly string[]): void;
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
    /** Answers the exit code, or nothing for success; `main` refuses any other value (a write once returned `true` here). */
    run(ctx: CommandContext, args: string[]): Promise<ExitCode | void>;
};

/** Builds the context of one run; nothing touches the network or the disk until asked. */
export function createContext(options: OptionValues, out: Output, env: NodeJS.ProcessEnv, cwd: string): CommandContext {
    let network: NetworkTarget | undefined;
    let identity: LoadedIdentity | undefined;
    let client: Promise<DeflowClient> | undefined;
    let placeholder: ((name: string) => string | undefined) | undefined;
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
        resolvedNetwork() {
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
                const ids = resolveCanisterIds({ orchestrator: options.orchestrator, scheduler: options.scheduler, monitor: options.monitor, executor: options.executor }, { deploymentFile: ctx.deploymentFile(), env });
                const canisterIds = requireIds(ids);
                const agent = await createAgent(target, ctx.identity().identity);
                return createDeflowClient({ agent, canisterIds });
            })();
            return client;
        },
        deploymentFile() {
            return deploymentFileFor(options.deployment, ctx.network(), cwd);
        },
        placeholder(name) {
            if (placeholder === undefined) {
                const file = ctx.deploymentFile();
                const deflow = file === undefined ? {} : Object.fromEntries(Object.entries(readDeploymentFile(file)).map(([role, id]) => [role, id.toText()]));
                placeholder = placeholderValues({ flags: options.var ?? [], env, demo: file === undefined ? undefined : demoIdsBeside(file), deflow });
            }
            return placeholder(name);
        },
        show(value, lines) {
            if (options.json === true) out.out(toJson(value));
            else printLines(out, lines());
        }
    };
    return ctx;
}
