/**
 * The drill's view of the scheduler across releases. A drill loads an older release first (the
 * migration drill installs v1), and its replies lack the v3 schedule fields `input` and
 * `workflow_changed_at`; Candid decodes a missing field only into an `opt`. So the drill reads
 * schedules through an interface where those two fields are `opt`, and fills them with the
 * defaults the v3 migration gives them (canisters/scheduler/src/logic/migration.ts).
 */
import { IDL } from '@dfinity/candid';

import { DEFAULT_SCHEDULE_INPUT, ScheduleCodec } from '../shared/scheduling/schedule';
import { schedulerIdlFactory } from '../shared/scheduling/service';

const V3_ONLY_FIELDS = new Set(['input', 'workflow_changed_at']);
const schedule = ScheduleCodec.idl as unknown as IDL.RecordClass;
const tolerantSchedule = IDL.Record(Object.fromEntries(schedule._fields.map(([name, type]) => [name, V3_ONLY_FIELDS.has(name) ? IDL.Opt(type) : type])));

/** `type` with every use of the Schedule record replaced by its tolerant form. */
function tolerant(type: IDL.Type): IDL.Type {
    if (type === schedule || (type instanceof IDL.RecordClass && type.display() === schedule.display())) return tolerantSchedule;
    if (type instanceof IDL.TupleClass) return type;
    if (type instanceof IDL.RecordClass) return IDL.Record(Object.fromEntries(type._fields.map(([n, t]) => [n, tolerant(t)])));
    if (type instanceof IDL.VariantClass) return IDL.Variant(Object.fromEntries(type._fields.map(([n, t]) => [n, tolerant(t)])));
    if (type instanceof IDL.VecClass) return IDL.Vec(tolerant(type._type));
    if (type instanceof IDL.OptClass) return IDL.Opt(tolerant(type._type));
    return type;
}

export const tolerantSchedulerIdlFactory: IDL.InterfaceFactory = ({ IDL: I }) => {
    const service = (schedulerIdlFactory as unknown as IDL.InterfaceFactory)({ IDL: I });
    return IDL.Service(Object.fromEntries(service._fields.map(([name, func]) => [name, IDL.Func(func.argTypes, func.retTypes.map(tolerant) as [IDL.Type], func.annotations)])));
};

/** Fills the v3 fields of every schedule in a decoded reply (they decode as `[]` from older releases). */
export function withV3Defaults<T>(value: T): T {
    if (Array.isArray(value)) return value.map(withV3Defaults) as T;
    if (value === null || typeof value !== 'object' || value instanceof Uint8Array || 'toText' in value) return value;
    const entries = Object.entries(value).map(([k, v]) => [k, withV3Defaults(v)] as const);
    const out = Object.fromEntries(entries) as Record<string, unknown>;
    if ('schema_version' in out && 'workflow_changed_at' in out && Array.isArray(out.workflow_changed_at)) {
        out.workflow_changed_at = (out.workflow_changed_at as bigint[])[0] ?? 0n;
        out.input = (out.input as string[])[0] ?? DEFAULT_SCHEDULE_INPUT;
    }
    return out as T;
}

/** The actor, with every method's reply passed through {@link withV3Defaults}. */
export function tolerantScheduler<T extends object>(actor: T): T {
    const methods = new Set(tolerantSchedulerIdlFactory({ IDL })._fields.map(([name]) => name));
    return new Proxy(actor, {
        get(target, property, receiver) {
            const value: unknown = Reflect.get(target, property, receiver);
            if (typeof property !== 'string' || !methods.has(property) || typeof value !== 'function') return value;
            return async (...args: unknown[]) => withV3Defaults(await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args));
        }
    });
}
