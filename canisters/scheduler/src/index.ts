/**
 * The scheduler canister: composes its method classes (lifecycle, schedule API, peer
 * endpoints, dead letters). Logic lives in `logic/` (pure), state in `state.ts`, effects in `runtime.ts`.
 */
import { InstallMethods } from './install';
import { PeerMethods } from './peers';
import { ScheduleQuotaMethods } from './quotas';
import { ScheduleMethods } from './schedules';
import { deadLetterMethods } from '../../common/outbox/dead-letter-methods';
import { deadLetters, deployment } from './state';
import * as runtime from './runtime';

/** `list_dead_letters`: start requests not delivered. */
const OperationsMethods = deadLetterMethods(deadLetters, deployment, runtime.caller);

export default [InstallMethods, ScheduleMethods, PeerMethods, ScheduleQuotaMethods, OperationsMethods];
