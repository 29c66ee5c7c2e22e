/** The owner's schedules with their next due time and recent firings. */
import { errorBox, h, mount } from '../dom';
import { formatDuration, formatTime, tagOf } from '../format';
import { startPolling } from '../poll';
import type { Session } from '../session';

export function schedulesPage(root: HTMLElement, session: Session): void {
    const view = h('div', {});
    mount(root, h('h2', {}, 'Schedules'), view);
    startPolling(async () => {
        try {
            const page = await session.client.schedules.list({ limit: 100 });
            const details = await Promise.all(page.items.map((s) => session.client.schedules.get(s.id)));
            mount(
                view,
                details.length === 0
                    ? h('p', { class: 'note', 'data-testid': 'no-schedules' }, 'No schedules.')
                    : h(
                          'div',
                          { 'data-testid': 'schedules' },
                          details.map(({ schedule, recent_firings }) =>
                              h(
                                  'section',
                                  { class: 'card', 'data-schedule-id': schedule.id },
                                  h('h3', {}, `${schedule.id} → workflow ${schedule.workflow_id}`),
                                  h('p', {}, `kind ${tagOf(schedule.kind)} · ${schedule.paused ? 'paused' : 'active'} · next due `, h('strong', { 'data-testid': 'next-due' }, formatTime(schedule.next_due_at[0])), ` · last fired ${formatTime(schedule.last_fired_at[0])}`),
                                  recent_firings.length === 0
                                      ? h('p', { class: 'note' }, 'No firings yet.')
                                      : h(
                                            'table',
                                            {},
                                            h('thead', {}, h('tr', {}, ...['Due', 'Started', 'Late by', 'Outcome'].map((t) => h('th', {}, t)))),
                                            h('tbody', {}, recent_firings.map((f) => h('tr', {}, h('td', {}, formatTime(f.due_at)), h('td', {}, formatTime(f.started_at)), h('td', {}, formatDuration(Number(f.lateness_ns / 1_000_000n))), h('td', {}, JSON.stringify(f.outcome, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))))))
                                        )
                              )
                          )
                      )
            );
        } catch (error) {
            mount(view, errorBox(error));
        }
        return true;
    }, 5000);
}
