/**
 * The monitor canister: composes its method classes (lifecycle, health, alerts and
 * notifications, history, dependencies, emergency mode, top-up, dead letters). Logic lives in `logic/` (pure), state in
 * `state.ts`, effects in `runtime.ts`.
 */
import { AlertMethods } from './alerts';
import { DependencyMethods } from './dependencies';
import { EmergencyMethods } from './emergency';
import { HealthMethods } from './health';
import { HistoryMethods } from './history';
import { InstallMethods } from './install';
import { TopUpMethods } from './top-up';
import { deadLetterMethods } from '../../common/outbox/dead-letter-methods';
import { deadLetters, deployment } from './state';
import * as runtime from './runtime';

/** `list_dead_letters`: emergency pushes not delivered. */
const OperationsMethods = deadLetterMethods(deadLetters, deployment, runtime.caller);

export default [InstallMethods, HealthMethods, HistoryMethods, AlertMethods, DependencyMethods, EmergencyMethods, TopUpMethods, OperationsMethods];
