/**
 * System health: each canister's status, cycles, memory and module hash; the alerts, with
 * acknowledge for admins; emergency and safe mode for admins; cycles over time.
 */
import { CanisterStatus } from '@dfinity/agent';
import { Principal } from '@dfinity/principal';

import type { SystemHealth } from '../../../shared/monitoring/metrics';
import { timePlot } from '../charts';
import { errorBox, h, mount } from '../dom';
import { formatBytes, formatCycles, formatTime, hex, tagOf } from '../format';
import { startPolling } from '../poll';
import type { Session } from '../session';

/** Cycles balances seen while the dashboard is open, per canister (the monitor keeps only the latest). */
const cyclesHistory = new Map<string, { atMs: number; cycles: number }[]>();
const HISTORY_POINTS = 360;

function recordCycles(health: SystemHealth): void {
    for (const canister of health.canisters) {
        const sample = canister.latest[0];
        if (sample === undefined) continue;
        const key = tagOf(canister.role);
        const points = cyclesHistory.get(key) ?? [];
        // One point per health check: the balance the monitor knew at that time.
        const atMs = Number(health.checked_at / 1_000_000n);
        if (points[points.length - 1]?.atMs !== atMs) points.push({ atMs, cycles: Number(sample.cycles_balance) / 1e12 });
        cyclesHistory.set(key, points.slice(-HISTORY_POINTS));
    }
}

const COLORS = ['#2563eb', '#16a34a', '#d97706', '#9333ea', '#dc2626'];

function cyclesPlot(): HTMLElement {
    const times = [...new Set([...cyclesHistory.values()].flatMap((points) => points.map((p) => p.atMs)))].sort((a, b) => a - b);
    const series = [...cyclesHistory.entries()].map(([role, points], i) => {
        const byTime = new Map(points.map((p) => [p.atMs, p.cycles]));
        return { label: role, color: COLORS[i % COLORS.length]!, values: times.map((t) => byTime.get(t) ?? null) };
    });
    return timePlot('Cycles over time (T cycles, as reported to the monitor)', times, series, { testId: 'cycles-plot', yLabel: 'T cycles' });
}

const moduleHashes = new Map<string, string>();

/** The module hash from the certified state tree (`read_state`), which anyone may read. */
async function moduleHashOf(session: Session, canister: Principal): Promise<string> {
    const known = moduleHashes.get(canister.toText());
    if (known !== undefined) return known;
    const status = await CanisterStatus.request({ canisterId: canister, agent: session.agent, paths: ['module_hash'] });
    const value = status.get('module_hash');
    const text = typeof value === 'string' ? value : value instanceof Uint8Array ? hex(value) : '—';
    moduleHashes.set(canister.toText(), text);
    return text;
}

/** The emergency reason being typed, kept while the health page refreshes under it. */
let draftReason = '';

function emergencyControls(session: Session, health: SystemHealth, refresh: () => void): HTMLElement {
    // The page re-renders on every refresh: keep what the admin typed across renders.
    const reason = h('input', { type: 'text', placeholder: 'reason (kept in the log)', 'data-testid': 'emergency-reason', value: draftReason, oninput: () => (draftReason = reason.value) });
    const message = h('span', { class: 'note' });
    const act = (action: () => Promise<unknown>) => async (): Promise<void> => {
        try {
            await action();
            refresh();
        } catch (error) {
            mount(message, errorBox(error));
        }
    };
    const mode = tagOf(health.emergency.mode);
    return h(
        'section',
        { class: 'admin', 'data-testid': 'emergency-controls' },
        h('h3', {}, 'Emergency and safe mode (admins)'),
        reason,
        h('button', { onclick: act(() => session.client.monitor.enableEmergency('Safe', reason.value || 'set from the dashboard')) }, 'Enter safe mode'),
        h('button', { class: 'danger', onclick: act(() => session.client.monitor.enableEmergency('Emergency', reason.value || 'set from the dashboard')) }, 'Enter emergency mode'),
        h('button', { disabled: mode === 'Normal', onclick: act(() => session.client.monitor.disableEmergency(reason.value || 'cleared from the dashboard')) }, 'Back to normal'),
        message
    );
}

export function healthPage(root: HTMLElement, session: Session): void {
    const view = h('div', {});
    mount(root, h('h2', {}, 'System health'), view);
    const render = async (health: SystemHealth): Promise<void> => {
        recordCycles(health);
        const hashes = await Promise.all(health.canisters.map((c) => moduleHashOf(session, c.canister).catch((error: unknown) => `unavailable (${error instanceof Error ? error.message : String(error)})`)));
        const refresh = (): void => void session.client.monitor.health().then(render, (error: unknown) => mount(view, errorBox(error)));
        const alerts = health.open_alerts;
        mount(
            view,
            h(
                'p',
                { class: 'summary' },
                'Status: ',
                h('strong', { 'data-testid': 'health-status' }, tagOf(health.status)),
                ' · mode: ',
                h('strong', { 'data-testid': 'system-mode' }, tagOf(health.emergency.mode)),
                health.emergency.reason === '' ? '' : ` (${health.emergency.reason})`,
                ` · checked ${formatTime(health.checked_at)} UTC`
            ),
            h(
                'table',
                { 'data-testid': 'canisters' },
                h('thead', {}, h('tr', {}, ...['Canister', 'Id', 'Reporting', 'Cycles', 'Heap', 'Stable memory', 'Version', 'Module hash'].map((t) => h('th', {}, t)))),
                h(
                    'tbody',
                    {},
                    health.canisters.map((c, i) => {
                        const sample = c.latest[0];
                        return h(
                            'tr',
                            { 'data-role': tagOf(c.role) },
                            h('td', {}, tagOf(c.role)),
                            h('td', { class: 'mono' }, c.canister.toText()),
                            h('td', { class: c.stale ? 'bad' : 'good' }, c.stale ? 'stale' : sample === undefined ? 'no report yet' : `at ${formatTime(sample.last_heartbeat)}`),
                            h('td', {}, sample === undefined ? '—' : formatCycles(sample.cycles_balance)),
                            h('td', {}, sample === undefined ? '—' : formatBytes(sample.heap_memory_bytes)),
                            h('td', {}, sample === undefined ? '—' : formatBytes(sample.stable_memory_bytes)),
                            h('td', {}, sample === undefined ? '—' : String(sample.canister_version)),
                            h('td', { class: 'mono hash', title: hashes[i] ?? '' }, (hashes[i] ?? '').slice(0, 16))
                        );
                    })
                )
            ),
            cyclesPlot(),
            h('h3', {}, `Open alerts (${alerts.length})`, ' ', h('button', { onclick: () => void session.client.monitor.alerts().then(refresh, (error: unknown) => mount(view, errorBox(error))) }, 'Check now')),
            alerts.length === 0
                ? h('p', { class: 'note', 'data-testid': 'no-alerts' }, 'No open alerts.')
                : h(
                      'table',
                      { 'data-testid': 'alerts' },
                      h('thead', {}, h('tr', {}, ...['#', 'Severity', 'Kind', 'Subject', 'Message', 'Raised', 'Status', ''].map((t) => h('th', {}, t)))),
                      h(
                          'tbody',
                          {},
                          alerts.map((alert) =>
                              h(
                                  'tr',
                                  { 'data-alert-id': String(alert.id), 'data-alert-status': tagOf(alert.status) },
                                  h('td', {}, String(alert.id)),
                                  h('td', { class: tagOf(alert.severity) === 'Critical' ? 'bad' : 'warn' }, tagOf(alert.severity)),
                                  h('td', {}, tagOf(alert.kind)),
                                  h('td', {}, alert.subject),
                                  h('td', {}, alert.message),
                                  h('td', {}, formatTime(alert.raised_at)),
                                  h('td', {}, tagOf(alert.status)),
                                  h(
                                      'td',
                                      {},
                                      session.isAdmin && tagOf(alert.status) === 'Raised'
                                          ? h('button', { 'data-testid': `ack-${alert.id}`, onclick: () => void session.client.monitor.acknowledgeAlert(alert.id).then(refresh, (error: unknown) => mount(view, errorBox(error))) }, 'Acknowledge')
                                          : ''
                                  )
                              )
                          )
                      )
                  ),
            session.isAdmin ? emergencyControls(session, health, refresh) : h('p', { class: 'note' }, 'Admins see emergency and safe mode controls here.')
        );
    };
    startPolling(async () => {
        try {
            await render(await session.client.monitor.health());
        } catch (error) {
            mount(view, errorBox(error));
        }
        return true;
    }, 3000);
}
