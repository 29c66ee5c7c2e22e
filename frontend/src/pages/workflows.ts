/** The signed-in owner's workflows and their recent executions, with activity plots. */
import { hourlyActivity } from '../activity';
import { timePlot } from '../charts';
import { errorBox, h, mount } from '../dom';
import { formatTime, msOfNs } from '../format';
import { startPolling } from '../poll';
import type { Session } from '../session';

const DAY_MS = 24 * 3_600_000;

export function workflowsPage(root: HTMLElement, session: Session): void {
    const view = h('div', {});
    mount(root, h('h2', {}, 'Your workflows'), view);
    startPolling(async () => {
        try {
            const [workflows, executions, metrics] = await Promise.all([
                session.client.workflows.list({ limit: 100 }),
                session.client.executions.list({ order: 'NewestFirst', limit: 100 }),
                session.client.monitor.metrics()
            ]);
            const windowMs = Number(metrics.window_ns / 1_000_000n) || DAY_MS;
            const activity = hourlyActivity(executions.items.map((x) => ({ createdAtMs: msOfNs(x.createdAt), status: x.status })), Date.now(), windowMs);
            mount(
                view,
                workflows.items.length === 0
                    ? h('p', { class: 'note', 'data-testid': 'no-workflows' }, 'No workflows yet. Create one with the CLI (deflow workflow create) or the client library.')
                    : h(
                          'table',
                          { 'data-testid': 'workflows' },
                          h('thead', {}, h('tr', {}, ...['Id', 'Name', 'Version', 'Status', 'Nodes', 'Updated'].map((t) => h('th', {}, t)))),
                          h('tbody', {}, workflows.items.map((w) => h('tr', { 'data-workflow-id': w.id }, h('td', { class: 'mono' }, w.id), h('td', {}, w.name), h('td', {}, String(w.version)), h('td', {}, w.status), h('td', {}, String(w.nodeCount)), h('td', {}, formatTime(w.updatedAt)))))
                      ),
                h('h3', {}, 'Recent executions'),
                executions.items.length === 0
                    ? h('p', { class: 'note' }, 'No executions yet.')
                    : h(
                          'table',
                          { 'data-testid': 'executions' },
                          h('thead', {}, h('tr', {}, ...['Execution', 'Workflow', 'Trigger', 'Status', 'Created', 'Finished'].map((t) => h('th', {}, t)))),
                          h(
                              'tbody',
                              {},
                              executions.items.map((x) =>
                                  h('tr', { 'data-execution-id': x.id }, h('td', {}, h('a', { href: `#/executions/${encodeURIComponent(x.id)}` }, x.id)), h('td', { class: 'mono' }, x.workflowId), h('td', {}, x.trigger.kind), h('td', { class: `status-${x.status}` }, x.status), h('td', {}, formatTime(x.createdAt)), h('td', {}, formatTime(x.finishedAt)))
                              )
                          )
                      ),
                h(
                    'div',
                    { class: 'plots' },
                    timePlot(
                        `Executions per hour and failure rate (your executions, the monitor's ${Math.round(windowMs / 3_600_000)} h window)`,
                        activity.map((b) => b.hourStartMs),
                        [
                            { label: 'executions', color: '#2563eb', values: activity.map((b) => b.executions) },
                            { label: 'failure rate', color: '#dc2626', values: activity.map((b) => b.failureRate), scale: 'rate' }
                        ],
                        { testId: 'activity-plot', yLabel: 'executions', y2Label: 'failure rate' }
                    )
                )
            );
        } catch (error) {
            mount(view, errorBox(error));
        }
        return true;
    }, 5000);
}
