/** `deflow health|alerts|emergency on|off|versions|whoami|drill`. */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import type { DeflowVersions } from '../../client';
import type { VersionInfo } from '../../shared/common/version';
import type { Alert } from '../../shared/monitoring/alerts';
import type { SystemHealth } from '../../shared/monitoring/metrics';
import type { Command } from '../context';
import { CliError, type ExitCode } from '../errors';
import { formatFields, formatTable, formatTime, tagText } from '../output';

/** The project the CLI belongs to (where `npm run drill` would live). */
const PROJECT_ROOT = resolve(__dirname, '..', '..');

function alertRows(alerts: readonly Alert[]): string[] {
    if (alerts.length === 0) return ['no open alerts'];
    return formatTable(
        ['ID', 'SEVERITY', 'KIND', 'STATUS', 'SUBJECT', 'RAISED', 'MESSAGE'],
        alerts.map((a) => [String(a.id), tagText(a.severity), tagText(a.kind), tagText(a.status), a.subject, formatTime(a.raised_at), a.message])
    );
}

/** Human view of `get_system_health`. */
export function healthLines(h: SystemHealth): string[] {
    const emergency = tagText(h.emergency.mode);
    const lines = formatFields([
        ['status', tagText(h.status)],
        ['mode', emergency === 'Normal' ? 'Normal' : `${emergency} (${h.emergency.reason}, since ${formatTime(h.emergency.changed_at)})`],
        ['checked', formatTime(h.checked_at)]
    ]);
    const canisters = formatTable(
        ['ROLE', 'CANISTER', 'HEARTBEAT', 'STALE', 'ACTIVE', 'CYCLES'],
        h.canisters.map((c) => {
            const s = c.latest[0];
            return [tagText(c.role), c.canister.toText(), formatTime(s?.last_heartbeat), c.stale ? 'yes' : 'no', s === undefined ? '-' : String(s.active_executions), s === undefined ? '-' : s.cycles_balance.toString()];
        })
    );
    return [...lines, '', ...canisters, '', ...alertRows(h.open_alerts)];
}

/** The table of `versions`: one row per canister, the executor's saying how to give its id when unknown. */
export function versionLines(v: DeflowVersions): string[] {
    const row = (role: string, info: VersionInfo | undefined): string[] =>
        info === undefined ? [role, 'unknown: no executor id (--executor ID, $DEFLOW_EXECUTOR_ID or the deployment file)'] : [role, info.package_version, String(info.schema_version), info.canister_version.toString(), info.build_id];
    const rows = [row('orchestrator', v.orchestrator), row('scheduler', v.scheduler), row('executor', v.executor), row('monitor', v.monitor)];
    return formatTable(['CANISTER', 'PACKAGE', 'SCHEMA', 'CANISTER VERSION', 'BUILD'], rows);
}

/** The `scripts` of a package.json (empty when the file is missing). */
export function readScripts(path: string = join(PROJECT_ROOT, 'package.json')): Record<string, string> {
    if (!existsSync(path)) return {};
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    const scripts = typeof parsed === 'object' && parsed !== null && 'scripts' in parsed ? parsed.scripts : undefined;
    return typeof scripts === 'object' && scripts !== null ? (scripts as Record<string, string>) : {};
}

export const systemCommands: Command[] = [
    {
        words: ['health'],
        synopsis: '',
        summary: "the monitor's system health: status, mode, canisters, open alerts",
        options: [],
        args: { min: 0, max: 0 },
        async run(ctx) {
            const h = await (await ctx.client()).monitor.health();
            ctx.show(h, () => healthLines(h));
        }
    },
    {
        words: ['alerts'],
        synopsis: '',
        summary: 'evaluate the alert thresholds now and list open alerts (--ack ID acknowledges one)',
        options: ['ack'],
        args: { min: 0, max: 0 },
        async run(ctx) {
            const client = await ctx.client();
            if (ctx.options.ack !== undefined) {
                if (!/^\d+$/.test(ctx.options.ack)) throw new CliError('Usage', `--ack must be an alert id (a number), got "${ctx.options.ack}"`);
                const a = await client.monitor.acknowledgeAlert(BigInt(ctx.options.ack));
                ctx.show(a, () => [`acknowledged alert ${a.id} (${tagText(a.status)})`]);
                return;
            }
            const alerts = await client.monitor.alerts();
            ctx.show(alerts, () => alertRows(alerts));
        }
    },
    {
        words: ['emergency', 'on'],
        synopsis: '',
        summary: 'stop new executions everywhere (--safe: only critical workflows run; --reason TEXT); admins only',
        options: ['safe', 'reason'],
        args: { min: 0, max: 0 },
        async run(ctx) {
            const mode = ctx.options.safe === true ? 'Safe' : 'Emergency';
            const state = await (await ctx.client()).monitor.enableEmergency(mode, ctx.options.reason ?? `set by deflow CLI`);
            ctx.show(state, () => [`${tagText(state.mode)} mode is on: ${state.reason}`]);
        }
    },
    {
        words: ['emergency', 'off'],
        synopsis: '',
        summary: 'back to Normal mode (--reason TEXT); admins only',
        options: ['reason'],
        args: { min: 0, max: 0 },
        async run(ctx) {
            const state = await (await ctx.client()).monitor.disableEmergency(ctx.options.reason ?? 'cleared by deflow CLI');
            ctx.show(state, () => [`${tagText(state.mode)} mode`]);
        }
    },
    {
        words: ['versions'],
        synopsis: '',
        summary: 'the code each canister runs (get_version)',
        options: [],
        args: { min: 0, max: 0 },
        async run(ctx) {
            const v = await (await ctx.client()).versions();
            ctx.show(v, () => versionLines(v));
        }
    },
    {
        words: ['whoami'],
        synopsis: '',
        summary: 'the principal the CLI calls as, and where its key is',
        options: [],
        args: { min: 0, max: 0 },
        async run(ctx) {
            const id = ctx.identity();
            const principal = id.identity.getPrincipal().toText();
            ctx.show({ principal, keyType: id.keyType, source: id.source }, () => [`${principal} (${id.keyType}, ${id.source})`]);
        }
    },
    {
        words: ['drill'],
        synopsis: '[args...]',
        summary: 'run the upgrade drill (`npm run drill`)',
        options: [],
        args: { min: 0, max: 20 },
        async run(ctx, args) {
            if (readScripts().drill === undefined) {
                throw new CliError('NotAvailable', 'the upgrade drill is not available yet: this checkout has no `npm run drill` script (see docs/upgrade-drill.md)');
            }
            return await new Promise<ExitCode>((resolvePromise, reject) => {
                const child = spawn('npm', ['run', 'drill', '--', ...args], { cwd: PROJECT_ROOT, stdio: 'inherit', env: ctx.env });
                child.on('error', reject);
                child.on('exit', (code) => resolvePromise((code ?? 1) as ExitCode));
            });
        }
    }
];
