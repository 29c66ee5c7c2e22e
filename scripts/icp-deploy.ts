/**
 * `npm run icp:deploy`: deploys DeFlow with icp-cli from `icp.yaml`, wired. Every canister's
 * init argument names all four canister ids (shared/common/deployment.ts), which `icp deploy`
 * cannot compute, so this runs icp's own steps in the order that makes them known:
 *
 * 1. `icp canister create <name>` for each canister (ids are recorded per environment);
 * 2. the ids (`icp canister status <name> --id-only`) and the caller's principal
 *    (`icp identity principal`, the deployment's admin) become the Candid init argument in
 *    `.icp-deflow/init-arg.did`, which `icp.yaml` names as every canister's `init_args`;
 * 3. `icp deploy monitor`, then `icp deploy` of the other three: builds (the pre-built Azle
 *    wasm of `npm run build`) and installs them with that argument (a later run upgrades them
 *    with it); the monitor first, so the others' first health reports reach it;
 * 4. the monitor is added as a controller of the other three, and the executor of itself;
 * 5. the executor's agent module (the owners' agents are created from it) is uploaded to the
 *    executor in 1 MiB chunks (`upload_agent_module_chunk`, kept in its stable memory) and
 *    named with `set_agent_module`, as `npm start` does it (`installAgentModule` in
 *    cli/deploy.ts). Megabyte blob arguments do not go well through `icp canister call`'s
 *    text, so this step signs with the same icp identity (`icp identity export`, kept in
 *    memory only) through `@dfinity/agent`, at the URL of the environment's network in icp.yaml.
 *
 * The executor is created with EXECUTOR_CYCLES (it pays for each owner's agent,
 * AGENT_CREATION_CYCLES); the others with icp's default. `icp canister top-up executor
 * --amount ...` adds more.
 *
 * Options: `--project-dir DIR` (where icp.yaml is; default: this project), `-e/--environment
 * ENV` (default `deflow-local`, `npm start`'s network), `--identity NAME`. Uses the icp binary
 * of `node_modules` (@icp-sdk/icp-cli-linux-x64) when present, else `icp` on the PATH.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { HttpAgent, pollForResponse } from '@dfinity/agent';
import { Principal } from '@dfinity/principal';

import { installAgentModule } from '../cli/deploy';
import { identityFromPem } from '../cli/identity';
import { deploymentArgText, PEER_ROLES, type Peers } from '../shared/common/deployment';
import { networkOfEnvironment, type IcpNetwork } from './icp-network';

const PROJECT_ROOT = resolve(__dirname, '..');
const SHIPPED_ICP = resolve(PROJECT_ROOT, 'node_modules', '@icp-sdk', 'icp-cli-linux-x64', 'bin', 'icp');

type Options = { projectDir: string; environment: string; identity: string | null };

function parseOptions(args: string[]): Options {
    const options: Options = { projectDir: PROJECT_ROOT, environment: 'deflow-local', identity: null };
    for (let i = 0; i < args.length; i++) {
        const value = args[i + 1];
        if (value === undefined) throw new Error(`${args[i]} needs a value; usage: npm run icp:deploy -- [--project-dir DIR] [-e ENV] [--identity NAME]`);
        if (args[i] === '--project-dir') options.projectDir = resolve(value);
        else if (args[i] === '-e' || args[i] === '--environment') options.environment = value;
        else if (args[i] === '--identity') options.identity = value;
        else throw new Error(`unknown option ${args[i]}; usage: npm run icp:deploy -- [--project-dir DIR] [-e ENV] [--identity NAME]`);
        i++;
    }
    return options;
}

class IcpFailed extends Error {}

/**
 * Cycles the executor is created with: about six owners' agents (1.5 T each) on top of its
 * own running costs. icp's default (2 T) would not cover the first agent.
 */
const EXECUTOR_CYCLES = '10t';

function icp(options: Options, args: string[], withEnvironment = true): string {
    const binary = existsSync(SHIPPED_ICP) ? SHIPPED_ICP : 'icp';
    const full = [...args, ...(withEnvironment ? ['-e', options.environment] : []), ...(options.identity === null ? [] : ['--identity', options.identity])];
    const result = spawnSync(binary, full, { cwd: options.projectDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    if (result.error !== undefined) throw new IcpFailed(`cannot run ${binary}: ${result.error.message}`);
    if (result.status !== 0) throw new IcpFailed(`icp ${full.join(' ')} failed:\n${result.stderr.trim()}`);
    return result.stdout;
}

async function main(): Promise<void> {
    const options = parseOptions(process.argv.slice(2));
    const argDir = join(options.projectDir, '.icp-deflow');
    const argFile = join(argDir, 'init-arg.did');
    // icp reads init_args files whenever it loads the project, so the file must exist before
    // the first icp command. `(null)` keeps the stored configuration on an upgrade and is
    // refused on a first install: a bare `icp deploy` never installs unwired canisters.
    mkdirSync(argDir, { recursive: true });
    if (!existsSync(argFile)) writeFileSync(argFile, '(null)\n');
    for (const role of PEER_ROLES) {
        const created = icp(options, ['canister', 'create', role, ...(role === 'executor' ? ['--cycles', EXECUTOR_CYCLES] : [])]).trim();
        if (created !== '') console.log(created);
    }
    const peers = Object.fromEntries(PEER_ROLES.map((role) => [role, Principal.fromText(icp(options, ['canister', 'status', role, '--id-only']).trim())])) as Peers;
    const admin = Principal.fromText(icp(options, ['identity', 'principal'], false).trim());
    writeFileSync(argFile, `${deploymentArgText({ peers, admins: [admin] })}\n`);
    console.log(`init argument: peers ${PEER_ROLES.map((role) => `${role} ${peers[role].toText()}`).join(', ')}; admin ${admin.toText()}`);
    // The monitor first, as cli/deploy.ts installs: the others send it a health report as
    // soon as they are installed.
    console.log(icp(options, ['deploy', 'monitor']).trim());
    console.log(icp(options, ['deploy', ...PEER_ROLES.filter((role) => role !== 'monitor')]).trim());
    // As every deployment path grants it (cli/deploy.ts, docs/security.md): the monitor controls
    // the canisters it watches (it reads their canister_status); no canister controls itself.
    for (const role of ['orchestrator', 'scheduler', 'executor'] as const) icp(options, ['canister', 'settings', 'update', role, '--add-controller', peers.monitor.toText()]);
    await uploadAgentModuleAs(options, peers.executor);
    console.log(`agent module: set on the executor ${peers.executor.toText()}`);
}

/** Step 5: the agent module, signed by the deploying icp identity, at the environment's network URL. */
async function uploadAgentModuleAs(options: Options, executor: Principal): Promise<void> {
    const name = options.identity ?? icp(options, ['identity', 'default'], false).trim();
    if (name === 'anonymous') throw new IcpFailed('the anonymous identity cannot set the agent module: pass --identity NAME (an identity that controls the canisters)');
    const { identity } = identityFromPem(icp({ ...options, identity: null }, ['identity', 'export', name], false), `icp identity ${name}`);
    const network: IcpNetwork = networkOfEnvironment(join(options.projectDir, 'icp.yaml'), options.environment);
    const agent = await HttpAgent.create({ host: network.url, identity, shouldFetchRootKey: network.fetchRootKey });
    await installAgentModule({
        update: async (methodName, arg) => {
            const { requestId } = await agent.call(executor, { methodName, arg, effectiveCanisterId: executor });
            return new Uint8Array((await pollForResponse(agent, executor, requestId)).reply);
        }
    });
}

main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(error instanceof IcpFailed ? 1 : 2);
});
