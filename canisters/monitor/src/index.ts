/**
 * The monitor canister: composes its method classes (lifecycle, health, alerts and
 * notifications, history, dependencies, emergency mode, top-up). Logic lives in `logic/` (pure), state in
 * `state.ts`, effects in `runtime.ts`.
 */
import { AlertMethods } from './alerts';
import { DependencyMethods } from './dependencies';
import { EmergencyMethods } from './emergency';
import { HealthMethods } from './health';
import { HistoryMethods } from './history';
import { InstallMethods } from './install';
import { TopUpMethods } from './top-up';

export default [InstallMethods, HealthMethods, HistoryMethods, AlertMethods, DependencyMethods, EmergencyMethods, TopUpMethods];
