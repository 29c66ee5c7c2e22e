/**
 * Test-only stand-in for the orchestrator: the scheduler-facing contract
 * (`start_scheduled_execution`, idempotent by key; `check_schedule_target`, accepting every
 * workflow; `set_emergency_mode`) plus test controls.
 * One definition for the canister and the tests.
 */
import { c, idlFactory, type Infer, type MethodSpec } from '../../../../shared/common/codec';
import { ApiErrorCodec } from '../../../../shared/common/errors';
import { StartScheduledExecutionMethod } from '../../../../shared/scheduling/outbox';
import { NullResultCodec } from '../../../../shared/scheduling/service';
import { CheckScheduleTargetMethod } from '../../../../shared/scheduling/target';
import { EmergencyStateCodec } from '../../../../shared/monitoring/emergency';

/** One idempotency key as the fake saw it: how often it was asked, what it answered. */
export const StartRecordCodec = c.record({ key: c.text, execution_id: c.text, calls: c.nat32, first_at: c.nat64, schedule_id: c.text, due_at: c.nat64 });
export type StartRecord = Infer<typeof StartRecordCodec>;

export const FakeOrchestratorMethods = {
    start_scheduled_execution: StartScheduledExecutionMethod,
    /** Every workflow exists, is active, is the asking owner's and reads no input. */
    check_schedule_target: CheckScheduleTargetMethod,
    set_emergency_mode: { args: [EmergencyStateCodec], ret: NullResultCodec, mode: 'update' },
    starts: { args: [], ret: c.vec(StartRecordCodec), mode: 'query' },
    emergency_pushes: { args: [], ret: c.vec(EmergencyStateCodec), mode: 'query' },
    /** While set, every start is answered with this error (not recorded as started). */
    set_refusal: { args: [c.opt(ApiErrorCodec)], ret: c.null, mode: 'update' },
    /** Reports the execution of `key` finished to the scheduler. */
    finish: { args: [c.text], ret: NullResultCodec, mode: 'update' }
} as const satisfies Record<string, MethodSpec>;

export const fakeOrchestratorIdlFactory = idlFactory(FakeOrchestratorMethods);
