/**
 * The scheduler canister: composes its method classes (lifecycle, schedule API, peer
 * endpoints). Logic lives in `logic/` (pure), state in `state.ts`, effects in `runtime.ts`.
 */
import { InstallMethods } from './install';
import { PeerMethods } from './peers';
import { ScheduleQuotaMethods } from './quotas';
import { ScheduleMethods } from './schedules';

export default [InstallMethods, ScheduleMethods, PeerMethods, ScheduleQuotaMethods];
