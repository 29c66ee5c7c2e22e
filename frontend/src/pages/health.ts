/**
 * System health: each canister's status, cycles, memory and module hash; the alerts, with
 * acknowledge for admins; emergency and safe mode for admins; cycles over time and executions
 * per hour, drawn from the monitor's history (`get_metrics_history`), not from what the page saw.
 */
import { CanisterStatus } from '@dfinity/agent';
import { Principal } from '@dfinity/principal';

import type { MetricsHistory } from '../../../shared/monitoring/history';
import type { SystemHealth } from '../../../shared/monitoring/metrics';
import { hourlyFromMonitor } from '../activity';
import { timePlot } from '../charts';
import { errorBox, h, mount } from '../dom';
import { canisterRowCells } from '../canister-row';
import { formatTime, hex, msOfNs, tagOf } from '../format';
import { startPolling } from '../poll';
import type { Session } from '../session';

const COLORS = ['#2563eb', '#16a34a', '#d97706', '#9333ea', '#dc2626'];

/** Each canister's cycles as the monitor kept them over its window (points from before the page opened too). */
function cyclesPlot(history: MetricsHistory): HTMLElement {
    const times = [...new Set(history.cycles.flatMap((c) => c.points.map((p) => msOfNs(p.start))))].sort((a, b) => a - b);
    const series = history.cycles.map((canister, i) => {
        const byTime = new Map(canister.points.map((p) => [msOfNs(p.start), Number(p.cycles) / 1e12]));
        return { label: tagOf(canister.role), color: COLORS[i % COLORS.length]!, values: times.map((t) => byTime.get(t) ?? null) };
    });
    const hours = Math.round(Number(history.span_ns) / 3.6e12);
    return timePlot(`Cycles over time (T cycles, as reported to the monitor; its ${hours} h window)`, times, series, { testId: 'cycles-plot', yLabel: 'T cycles', xRangeMs: windowOf(history) });
}

/** The monitor's window in milliseconds: both plots share it as their time axis. */
function windowOf(history: MetricsHistory): [number, number] {
    const end = msOfNs(history.computed_at);
    return [end - Number(history.span_ns / 1_000_000n), end];
}

/** Executions per hour and failure rate of all owners, from the monitor's executions window. */
function activityPlot(history: MetricsHistory): HTMLElement {
    const windowMs = Number(history.span_ns / 1_000_000n);
    const buckets = history.executions.map((b) => ({ startMs: msOfNs(b.start), executions: Number(b.executions), failures: Number(b.failures) }));
    const hours = hourlyFromMonitor(buckets, msOfNs(history.computed_at), windowMs);
    const plot = timePlot(
        `Executions per hour and failure rate (all owners, the monitor's ${Math.round(windowMs / 3_600_000)} h window)`,
        hours.map((b) => b.hourStartMs),
        [
            { label: 'executions', color: '#2563eb', values: hours.map((b) => b.executions) },
            { label: 'failure rate', color: '#dc2626', values: hours.map((b) => b.failureRate), scale: 'rate' }
        ],
        { testId: 'system-activity-plot', yLabel: 'executions', y2Label: 'failure rate', xRangeMs: windowOf(history) }
    );
    plot.dataset.executions = String(hours.reduce((n, b) => n + b.executions, 0));
    return plot;
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
    const render = async (health: SystemHealth, history: MetricsHistory): Promise<void> => {
        const hashes = await Promise.all(health.canisters.map((c) => moduleHashOf(session, c.canister).catch((error: unknown) => `unavailable (${error instanceof Error ? error.message : String(error)})`)));
        const refresh = (): void => void Promise.all([session.client.monitor.health(), session.client.monitor.history()]).then(([h, m]) => render(h, m), (error: unknown) => mount(view, errorBox(error)));
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
                        const cells = canisterRowCells(c);
                        return h(
                            'tr',
                            { 'data-role': tagOf(c.role) },
                            h('td', {}, tagOf(c.role)),
                            h('td', { class: 'mono' }, c.canister.toText()),
                            h('td', { class: c.stale ? 'bad' : 'good' }, c.stale ? 'stale' : sample === undefined ? 'no report yet' : `at ${formatTime(sample.last_heartbeat)}`),
                            h('td', { title: cells.source }, cells.cycles),
                            h('td', { title: cells.source, 'data-testid': 'heap' }, cells.heap),
                            h('td', { title: cells.source, 'data-testid': 'stable-memory' }, cells.stable),
                            h('td', {}, cells.version),
                            h('td', { class: 'mono hash', title: hashes[i] ?? '' }, (hashes[i] ?? '').slice(0, 16))
                        );
                    })
                )
            ),
            h('div', { class: 'plots' }, cyclesPlot(history), activityPlot(history)),
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
            const [health, history] = await Promise.all([session.client.monitor.health(), session.client.monitor.history()]);
            await render(health, history);
        } catch (error) {
            mount(view, errorBox(error));
        }
        return true;
    }, 3000);
}
