/**
 * The DeFlow dashboard: sign-in, navigation and the pages (hash routes, so a reload works on
 * any gateway): #/health, #/workflows, #/executions/<id>, #/schedules, #/agent.
 */
import './style.css';

import { loadConfig, type DashboardConfig } from './config';
import { errorBox, h, mount } from './dom';
import { agentPage } from './pages/agent';
import { executionPage } from './pages/execution';
import { healthPage } from './pages/health';
import { schedulesPage } from './pages/schedules';
import { workflowsPage } from './pages/workflows';
import { stopPolling } from './poll';
import { resumeSession, signIn, type Session } from './session';

const PAGES = [
    ['#/health', 'Health'],
    ['#/workflows', 'Workflows'],
    ['#/schedules', 'Schedules'],
    ['#/agent', 'Agent']
] as const;

function route(content: HTMLElement, session: Session): void {
    stopPolling();
    const hash = window.location.hash || '#/health';
    const execution = /^#\/executions\/(.+)$/.exec(hash);
    if (execution !== null) executionPage(content, session, decodeURIComponent(execution[1]!));
    else if (hash === '#/workflows') workflowsPage(content, session);
    else if (hash === '#/schedules') schedulesPage(content, session);
    else if (hash === '#/agent') agentPage(content, session);
    else healthPage(content, session);
    for (const link of document.querySelectorAll('nav a')) link.classList.toggle('active', link.getAttribute('href') === hash);
}

function signedIn(app: HTMLElement, config: DashboardConfig, session: Session): void {
    const content = h('main', {});
    mount(
        app,
        h(
            'header',
            {},
            h('h1', {}, 'DeFlow'),
            h('nav', {}, PAGES.map(([href, label]) => h('a', { href }, label))),
            h(
                'div',
                { class: 'who' },
                h('span', { class: 'mono', 'data-testid': 'principal' }, session.principal),
                session.isAdmin ? h('span', { class: 'badge', 'data-testid': 'admin-badge' }, 'admin') : '',
                h('button', { onclick: () => void session.signOut().then(() => signedOut(app, config)) }, 'Sign out')
            )
        ),
        content
    );
    window.onhashchange = () => route(content, session);
    route(content, session);
}

function signedOut(app: HTMLElement, config: DashboardConfig): void {
    stopPolling();
    window.onhashchange = null;
    const message = h('div', {});
    const how = config.network === 'local' ? 'Sign in with a local key (kept in this browser)' : 'Sign in with Internet Identity';
    mount(
        app,
        h(
            'section',
            { class: 'signin' },
            h('h1', {}, 'DeFlow dashboard'),
            h('p', {}, config.network === 'local' ? 'Local network: your key is made here and stays in this browser.' : 'Internet Computer: sign in with Internet Identity.'),
            h('button', { 'data-testid': 'sign-in', onclick: () => void signIn(config).then((session) => signedIn(app, config, session), (error: unknown) => mount(message, errorBox(error))) }, how),
            message
        )
    );
}

async function start(): Promise<void> {
    const app = document.getElementById('app')!;
    try {
        const config = await loadConfig();
        const session = await resumeSession(config);
        if (session === null) signedOut(app, config);
        else signedIn(app, config, session);
    } catch (error) {
        mount(app, errorBox(error));
    }
}

void start();
