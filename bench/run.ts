/**
 * `npm run bench [-- SECTION...]`: prints medians and ratios measured in one run.
 * Sections: localnet, cycles, costs, workflows, scheduling, upgrades, persistence, and `scale` (only
 * when named: it fills the canisters with tens of thousands of records, see bench/scale.ts).
 */
import { costsBench } from './costs';
import { cyclesBench } from './cycles';
import { localnetBench } from './localnet';
import { persistenceBench } from './persistence';
import { scaleBench } from './scale';
import { schedulingBench } from './scheduling';
import { upgradesBench } from './upgrades';
import { workflowsBench } from './workflows';

const sections: Record<string, () => Promise<void>> = { localnet: localnetBench, cycles: cyclesBench, costs: costsBench, workflows: workflowsBench, scheduling: schedulingBench, upgrades: upgradesBench, persistence: persistenceBench, scale: scaleBench };
/** Sections that run only when named. */
const ON_REQUEST = new Set(['scale']);

async function main(): Promise<void> {
    const wanted = process.argv.slice(2);
    const unknown = wanted.filter((name) => !(name in sections));
    if (unknown.length > 0) throw new Error(`unknown bench section(s) ${unknown.join(', ')}; known: ${Object.keys(sections).join(', ')}`);
    for (const [name, run] of Object.entries(sections)) {
        if (wanted.length === 0 ? !ON_REQUEST.has(name) : wanted.includes(name)) await run();
    }
}

main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.stack ?? error.message : error);
    process.exit(1);
});
