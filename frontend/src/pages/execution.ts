/**
 * An execution's timeline: nodes as rows, each attempt a bar over time coloured by outcome,
 * the backoff before a retry hatched, fallbacks named, the error shown as data. Polls while
 * the execution runs and stops once it is finished.
 */
import { isTerminalStatus } from '../../../client';
import type { Execution } from '../../../shared/workflow/execution';
import { errorBox, h, mount, svg } from '../dom';
import { formatDuration, formatTime } from '../format';
import { startPolling } from '../poll';
import type { Session } from '../session';
import { timelineOf, type Segment, type Timeline, type TimelineRow } from '../timeline';

const ROW_HEIGHT = 34;
const LABEL_WIDTH = 150;
const CHART_WIDTH = 640;

function segmentTitle(row: TimelineRow, s: Segment): string {
    if (s.kind === 'backoff') return `${row.nodeId}: backoff before attempt ${s.beforeAttempt} (${formatDuration(s.endMs - s.startMs)})${s.pending ? ', waiting' : ''}`;
    return `${row.nodeId}: attempt ${s.attempt} ${s.outcome} (${formatDuration(s.endMs - s.startMs)})${s.error === undefined ? '' : `: ${s.error.kind}: ${s.error.message}`}`;
}

function timelineSvg(timeline: Timeline): SVGElement {
    const span = timeline.endMs - timeline.startMs;
    const x = (t: number): number => LABEL_WIDTH + ((t - timeline.startMs) / span) * CHART_WIDTH;
    const height = timeline.rows.length * ROW_HEIGHT + 24;
    return svg(
        'svg',
        { width: LABEL_WIDTH + CHART_WIDTH + 10, height, 'data-testid': 'timeline', role: 'img' },
        svg('defs', {}, svg('pattern', { id: 'hatch', width: 6, height: 6, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' }, svg('rect', { width: 3, height: 6, fill: '#94a3b8' }))),
        timeline.rows.map((row, i) => {
            const y = i * ROW_HEIGHT + 4;
            return svg(
                'g',
                { 'data-node': row.nodeId, 'data-node-status': row.status },
                svg('text', { x: 4, y: y + 18, class: 'label' }, row.nodeId),
                row.segments.map((s) =>
                    svg(
                        'rect',
                        {
                            x: x(s.startMs),
                            y: y + 4,
                            width: Math.max(3, x(s.endMs) - x(s.startMs)),
                            height: ROW_HEIGHT - 10,
                            rx: 3,
                            class: s.kind === 'backoff' ? 'seg-backoff' : `seg-${s.outcome}`,
                            fill: s.kind === 'backoff' ? 'url(#hatch)' : undefined,
                            'data-segment': s.kind,
                            'data-outcome': s.kind === 'attempt' ? s.outcome : undefined
                        },
                        svg('title', {}, segmentTitle(row, s))
                    )
                )
            );
        }),
        svg('text', { x: LABEL_WIDTH, y: height - 4, class: 'axis' }, '0'),
        svg('text', { x: LABEL_WIDTH + CHART_WIDTH, y: height - 4, class: 'axis', 'text-anchor': 'end' }, formatDuration(span))
    );
}

function nodeDetails(row: TimelineRow): HTMLElement {
    const attempts = row.segments.filter((s) => s.kind === 'attempt');
    return h(
        'tr',
        { 'data-node-row': row.nodeId },
        h('td', {}, row.nodeId, row.alternativeFor === undefined ? '' : h('div', { class: 'note', 'data-testid': `alternative-${row.nodeId}` }, `alternative for ${row.alternativeFor}`)),
        h('td', { class: `status-${row.status}` }, row.status),
        h('td', { 'data-testid': `retries-${row.nodeId}` }, String(row.retries)),
        h('td', { 'data-testid': `fallback-${row.nodeId}` }, row.fallback ?? ''),
        h('td', {}, attempts.map((a) => h('div', {}, `#${a.attempt} ${a.outcome} (${formatDuration(a.endMs - a.startMs)})`))),
        h('td', {}, row.error === undefined ? '' : h('pre', { class: 'error-data', 'data-testid': `error-${row.nodeId}` }, JSON.stringify(row.error, null, 2)))
    );
}

function render(view: HTMLElement, execution: Execution): void {
    const timeline = timelineOf(execution, Date.now());
    mount(
        view,
        h(
            'p',
            { class: 'summary' },
            'Status: ',
            h('strong', { 'data-testid': 'execution-status', class: `status-${execution.status}` }, execution.status),
            ` · workflow ${execution.workflowId} v${execution.workflowVersion} · trigger ${execution.trigger.kind} · created ${formatTime(execution.createdAt)} UTC · finished ${formatTime(execution.finishedAt)}`
        ),
        h('div', { class: 'legend' }, ...[['seg-succeeded', 'succeeded'], ['seg-failed', 'failed attempt'], ['seg-running', 'running'], ['seg-backoff', 'backoff wait']].map(([c, t]) => h('span', {}, h('i', { class: c! }), t!))),
        timelineSvg(timeline),
        h('table', { 'data-testid': 'nodes' }, h('thead', {}, h('tr', {}, ...['Node', 'Status', 'Retries', 'Fallback taken', 'Attempts', 'Error (data)'].map((t) => h('th', {}, t)))), h('tbody', {}, timeline.rows.map(nodeDetails))),
        execution.failure === undefined ? '' : h('pre', { class: 'error-data', 'data-testid': 'execution-failure' }, JSON.stringify(execution.failure, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2))
    );
}

export function executionPage(root: HTMLElement, session: Session, executionId: string): void {
    const view = h('div', {});
    mount(root, h('h2', {}, `Execution ${executionId}`), view);
    startPolling(async () => {
        try {
            const execution = await session.client.executions.get(executionId);
            render(view, execution);
            return !isTerminalStatus(execution.status);
        } catch (error) {
            mount(view, errorBox(error));
            return false;
        }
    }, 500);
}
