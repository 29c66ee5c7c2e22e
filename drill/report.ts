/**
 * The drill report an operator reads before a release: per upgrade the wall time (stop,
 * install, start), executions and schedules stored before and after, calls answered while
 * the canister was down; per drill what was lost, duplicated, violated or late.
 */
import { isFailure, tally, type Finding } from './checks';
import type { DrillResult } from './run';

const pad = (text: string, width: number): string => text.padEnd(width);
const ms = (value: number): string => `${value.toFixed(0)} ms`;

function findingLine(f: Finding): string {
    return `    ${pad(f.kind, 10)} ${f.subject}: ${f.detail}`;
}

/** True when the drill found no loss, duplicate or violation. */
export function drillPassed(result: DrillResult): boolean {
    return !result.findings.some(isFailure);
}

/**
 * Formats one drill as text.
 *
 * @example
 * console.log(formatDrill(await runDrill(pic, options)));
 */
export function formatDrill(result: DrillResult): string {
    const counts = tally(result.findings);
    const lines = [`== ${result.scenario}: ${drillPassed(result) ? 'PASS' : 'FAIL'}`];
    lines.push(`  ${pad('canister', 13)}${pad('round', 6)}${pad('wall', 10)}${pad('stop/install/start', 22)}${pad('executions', 13)}${pad('schedules', 11)}calls while down`);
    for (const u of result.upgrades) {
        const callsOk = u.calls.filter((c) => c.ok).length;
        lines.push(
            `  ${pad(u.role, 13)}${pad(String(u.round), 6)}${pad(ms(u.wallMs), 10)}` +
                `${pad(`${u.timing.stopMs.toFixed(0)}/${u.timing.installMs.toFixed(0)}/${u.timing.startMs.toFixed(0)}`, 22)}` +
                `${pad(`${u.counts.before.executions} → ${u.counts.after.executions}`, 13)}${pad(`${u.counts.before.schedules} → ${u.counts.after.schedules}`, 11)}` +
                `${callsOk}/${u.calls.length} ok, ${u.startedWhileDown.length} started`
        );
        if (u.agents !== undefined) lines.push(`    agents: ${'error' in u.agents ? `upgrade_agents failed: ${u.agents.error}` : `${u.agents.upgraded} upgraded, ${u.agents.failed.length} failed`}`);
        if (u.refused !== undefined) lines.push(`    release refused, old code kept: ${u.refused.split('\n')[0] ?? ''}`);
    }
    const executions = (s: DrillResult['before']): number => Object.keys(s.executions).length;
    const schedules = (s: DrillResult['before']): number => Object.keys(s.schedules).length;
    lines.push(`  executions ${executions(result.before)} → ${executions(result.after)}, schedules ${schedules(result.before)} → ${schedules(result.after)}, repays counted ${result.after.effects.repay_count}`);
    lines.push(`  lost ${counts.lost}, duplicated ${counts.duplicated}, violations ${counts.violation}, late ${counts.late}`);
    for (const f of result.findings) lines.push(findingLine(f));
    return lines.join('\n');
}

/** Formats several drills and a closing verdict. */
export function formatReport(results: readonly DrillResult[]): string {
    const failed = results.filter((r) => !drillPassed(r)).map((r) => r.scenario);
    const verdict = failed.length === 0 ? `all ${results.length} drills passed` : `FAILED: ${failed.join(', ')}`;
    return [...results.map(formatDrill), verdict].join('\n\n');
}
