/**
 * `npm run drill -- [--canister NAME|all] [--rounds N]`: the upgrade drill operators run
 * before a release. Starts the embedded PocketIC-compatible server (or a real PocketIC via
 * POCKET_IC_BIN), builds stale canisters, runs the drills on fresh instances, prints the
 * report and exits 1 on any loss, duplicate or violation (2 on bad arguments).
 *
 * - `--canister all` (default): each canister alone, a rolling upgrade of all four, then
 *   `--rounds` upgrades in a row (cycling through the four) under continuous load.
 * - `--canister NAME`: NAME upgraded `--rounds` times in a row under continuous load.
 *
 * Each drill runs on a network with two application subnets (`DRILL_TOPOLOGY`), with an
 * owner's agent on each.
 */
import { resolve } from 'node:path';

import { PocketIc } from '@dfinity/pic';

import { OPERATOR_PROFILE } from '../drill/load';
import { formatReport, drillPassed } from '../drill/report';
import { runDrill, type DrillOptions, type DrillResult } from '../drill/run';
import { DRILL_TOPOLOGY } from '../drill/env';
import { startDrillServer } from '../drill/server';
import { PEER_ROLES, type PeerRole } from '../shared/common/deployment';
import { SYSTEM_CANISTERS_DIR } from '../cli/deploy';
import { buildCanisters } from './build-canisters';

const PROJECT_ROOT = resolve(__dirname, '..');
const DEFAULT_ROUNDS = 20;

type Args = { canister: PeerRole | 'all'; rounds: number };

class UsageError extends Error {
    readonly kind = 'UsageError';
}

function parseArgs(argv: readonly string[]): Args {
    const args: Args = { canister: 'all', rounds: DEFAULT_ROUNDS };
    for (let i = 0; i < argv.length; i++) {
        const flag = argv[i];
        const value = argv[i + 1];
        if (flag === '--canister' && value !== undefined) {
            if (value !== 'all' && !(PEER_ROLES as readonly string[]).includes(value)) throw new UsageError(`--canister must be one of ${PEER_ROLES.join(', ')} or all`);
            args.canister = value as PeerRole | 'all';
        } else if (flag === '--rounds' && value !== undefined) {
            const rounds = Number(value);
            if (!Number.isInteger(rounds) || rounds < 1) throw new UsageError('--rounds must be a positive integer');
            args.rounds = rounds;
        } else {
            throw new UsageError(`unknown argument ${flag ?? ''}; usage: npm run drill -- [--canister NAME|all] [--rounds N]`);
        }
        i += 1;
    }
    return args;
}

/** The drills an invocation runs. */
export function scenarios(args: Args): Omit<DrillOptions, 'log'>[] {
    const profile = OPERATOR_PROFILE;
    if (args.canister !== 'all') return [{ scenario: `${args.canister} × ${args.rounds}`, order: Array.from({ length: args.rounds }, () => args.canister as PeerRole), rounds: 1, profile }];
    const inARow = Array.from({ length: args.rounds }, (_, i) => PEER_ROLES[i % PEER_ROLES.length]!);
    return [
        ...PEER_ROLES.map((role) => ({ scenario: `${role} alone`, order: [role], rounds: 1, profile })),
        { scenario: 'rolling upgrade of all four', order: PEER_ROLES, rounds: 1, profile },
        ...(args.rounds > 1 ? [{ scenario: `${args.rounds} upgrades in a row under continuous load`, order: inARow, rounds: 1, profile }] : [])
    ];
}

async function main(): Promise<number> {
    const args = parseArgs(process.argv.slice(2));
    // The agent module, and the CMC and ledgers that create agents on the drill's second subnet.
    const built = [...(await buildCanisters(PROJECT_ROOT, [...PEER_ROLES, 'agent', 'price_oracle', 'lending_position'])), ...(await buildCanisters(SYSTEM_CANISTERS_DIR, ['cmc', 'cycles_ledger', 'icp_ledger']))];
    if (built.length > 0) console.log(`built ${built.join(', ')}`);
    const server = await startDrillServer();
    const results: DrillResult[] = [];
    try {
        for (const options of scenarios(args)) {
            const pic = await PocketIc.create(server.getUrl(), DRILL_TOPOLOGY);
            try {
                const result = await runDrill(pic, { ...options, log: (line) => console.log(line) });
                results.push(result);
            } finally {
                await pic.tearDown();
            }
        }
    } finally {
        await server.stop();
    }
    console.log(`\n${formatReport(results)}`);
    return results.every(drillPassed) ? 0 : 1;
}

if (require.main === module) {
    main().then(
        (code) => process.exit(code),
        (error: unknown) => {
            console.error(error instanceof Error ? error.message : String(error));
            process.exit(error instanceof UsageError ? 2 : 1);
        }
    );
}
