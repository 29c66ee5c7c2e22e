/**
 * Instruction metering as the replica's Wasm instrumentation does it
 * (dfinity/ic `rs/embedders/src/wasm_utils/instrumentation.rs`, `MeteringType::New`):
 *
 * - every instruction has a weight (`instruction_to_cost`, reproduced in `opCost`);
 * - a function body is cut into basic blocks at `loop`, `if`, `else`, `br`, `br_if`,
 *   `br_table`, `end`, `return`, `unreachable` and the tail calls; `block` does not cut;
 * - at the start of each block the sum of its weights (the instruction that ends it
 *   included) is subtracted from a mutable i64 counter global; blocks that can be entered
 *   again (function bodies, loop bodies) then check the counter and call
 *   `out_of_instructions` when it is below zero; other blocks only subtract, and blocks of
 *   weight 0 get no code; a function body starts at weight 1;
 * - bulk memory and table operations (`memory.fill/copy/init`, `table.fill/copy/init`) also
 *   subtract their size operand at run time, through a helper function appended to the module.
 *
 * The counter is set to the execution's remaining budget before it runs and read after it; the
 * difference is the instruction count the replica would report. The system API's own charges
 * (system-api-charges.ts) are subtracted from the same counter by the host.
 */
import { Reader, Writer, skipImmediates } from './wasm-binary';

/** Export name of the instruction counter global appended to metered modules. */
export const COUNTER_EXPORT = '__localnet_instructions';
/** Import (from the engine's helper namespace) called when the counter drops below zero. */
export const OUT_OF_INSTRUCTIONS_IMPORT = 'out_of_instructions';
/**
 * The counter's initial value: the budget of the module's start function, which runs while
 * the module is instantiated, before the engine can set the counter (the install that
 * instantiates it then counts what the start function used).
 */
export const START_FUNCTION_BUDGET = 1n << 62n;

const I64 = 0x7e;

/** Weights of single-byte opcodes; `0xfc` instructions are in PREFIXED_COST. Unlisted: 1. */
const OP_COST = new Uint16Array(256).fill(1);
const setCost = (cost: number, ...ops: number[]): void => ops.forEach((op) => (OP_COST[op] = cost));
// block, loop, else, end
setCost(0, 0x02, 0x03, 0x05, 0x0b);
// if, br, br_if, br_table
setCost(2, 0x04, 0x0c, 0x0d, 0x0e);
// call, call_indirect, return_call, return_call_indirect
setCost(5, 0x10);
setCost(10, 0x11);
setCost(3, 0x12);
setCost(60, 0x13);
// global.get/set, table.get/set
setCost(2, 0x23, 0x24);
setCost(5, 0x25, 0x26);
// memory.size, memory.grow
setCost(20, 0x3f);
setCost(300, 0x40);
// float comparisons (f32.eq .. f64.ge)
for (let op = 0x5b; op <= 0x66; op++) OP_COST[op] = 3;
// integer division and remainder
setCost(10, 0x6d, 0x6e, 0x6f, 0x70, 0x7f, 0x80, 0x81, 0x82);
// f32 / f64 arithmetic
setCost(2, 0x8d, 0x8e, 0x8f, 0x90, 0x92, 0x93, 0x94, 0x98, 0x9b, 0x9c, 0x9d, 0x9e, 0xa0, 0xa1, 0xa2);
setCost(5, 0x91, 0xa3); // f32.sqrt, f64.div
setCost(3, 0x95, 0xa6); // f32.div, f64.copysign
setCost(8, 0x9f); // f64.sqrt
setCost(18, 0x96, 0x97, 0xa4, 0xa5); // min, max
// float -> integer truncation, integer -> float conversion
setCost(20, 0xa8, 0xa9, 0xaa, 0xab, 0xae, 0xaf, 0xb0, 0xb1);
setCost(3, 0xb2, 0xb4, 0xb7, 0xb9);
setCost(16, 0xb3, 0xb5, 0xb8, 0xba);
// ref.is_null, ref.func
setCost(5, 0xd1);
setCost(130, 0xd2);

/** Weights of `0xfc` sub-opcodes: saturating truncations, bulk memory and table operations. */
const PREFIXED_COST: Record<number, number> = {
    0: 20, 1: 20, 2: 20, 3: 20, 4: 20, 5: 20, 6: 20, 7: 20,
    8: 100, 9: 300, 10: 100, 11: 100, 12: 100, 13: 300, 14: 100, 15: 300, 16: 100, 17: 100
};

/** The replica's weight of one instruction (`sub` is the `0xfc` sub-opcode, else -1). */
export function opCost(op: number, sub: number): number {
    return op === 0xfc ? (PREFIXED_COST[sub] ?? 1) : OP_COST[op]!;
}

/** `0xfc` instructions whose size operand (top of the stack, an i32) is charged at run time. */
const DYNAMIC_COST_SUBOPS = new Set([8, 10, 11, 12, 14, 17]);

/** What the rewrite injects before the instruction at `offset`. */
export type InjectionPoint =
    | { offset: number; kind: 'static'; cost: number; check: boolean }
    | { offset: number; kind: 'dynamic' };

/**
 * The injection points of one function body (instructions from `start` to `end`, the final
 * `end` included), in the replica's order: sorted by offset, a size charge before a block
 * charge at the same offset.
 */
export function injectionPoints(bytes: Uint8Array, start: number, end: number): InjectionPoint[] {
    const points: InjectionPoint[] = [];
    let block = { offset: start, cost: 1, check: true };
    const close = (next: number, check: boolean): void => {
        if (block.check || block.cost > 0) points.push({ offset: block.offset, kind: 'static', cost: block.cost, check: block.check });
        block = { offset: next, cost: 0, check };
    };
    const r = new Reader(bytes, start);
    while (r.offset < end) {
        const at = r.offset;
        const op = r.byte();
        const sub = skipImmediates(r, op);
        block.cost += opCost(op, sub);
        if (op === 0xfc && DYNAMIC_COST_SUBOPS.has(sub)) points.push({ offset: at, kind: 'dynamic' });
        switch (op) {
            case 0x03: // loop: its body can be entered again
                close(r.offset, true);
                break;
            case 0x04: // if
            case 0x05: // else
            case 0x0b: // end
            case 0x0c: // br, br_if, br_table
            case 0x0d:
            case 0x0e:
            case 0x0f: // return, unreachable, tail calls
            case 0x00:
            case 0x12:
            case 0x13:
                close(r.offset, false);
                break;
        }
    }
    close(end, false);
    // Stable: a size charge recorded before the block that contains its instruction keeps its place.
    return points.sort((a, b) => a.offset - b.offset);
}

/** Indices the emitted metering code refers to. */
export type MeteringIndices = { counterGlobal: number; outOfInstructions: number; chargeSize: number };

/** `counter -= cost`, then (re-enterable blocks) `if counter < 0: out_of_instructions()`. */
export function emitCharge(w: Writer, point: InjectionPoint, indices: MeteringIndices): void {
    if (point.kind === 'dynamic') {
        // i64.extend_i32_u; call $charge_size; i32.wrap_i64 (the size stays on the stack)
        w.byte(0xad);
        w.byte(0x10);
        w.u32(indices.chargeSize);
        w.byte(0xa7);
        return;
    }
    w.byte(0x23);
    w.u32(indices.counterGlobal);
    w.byte(0x42);
    w.signed(point.cost);
    w.byte(0x7d); // i64.sub
    w.byte(0x24);
    w.u32(indices.counterGlobal);
    if (point.check) {
        w.byte(0x23);
        w.u32(indices.counterGlobal);
        w.append([0x42, 0x00, 0x53, 0x04, 0x40, 0x10]); // i64.const 0; i64.lt_s; if; call
        w.u32(indices.outOfInstructions);
        w.byte(0x0b);
    }
}

/**
 * The body of the size-charging function `(param i64) (result i64)`: subtracts its argument
 * from the counter (saturating at i64::MIN), calls `out_of_instructions` below zero, and
 * returns the argument unchanged.
 */
export function chargeSizeBody(indices: MeteringIndices): Uint8Array {
    const w = new Writer();
    w.append([0x01, 0x01, I64]); // one local i64
    const getCounter = (): void => {
        w.byte(0x23);
        w.u32(indices.counterGlobal);
    };
    getCounter();
    w.append([0x20, 0x00, 0x7d, 0x22, 0x01]); // local.get 0; i64.sub; local.tee 1
    getCounter();
    w.append([0x55, 0x04, I64]); // i64.gt_s; if (result i64)
    w.byte(0x42);
    w.signed(-(1n << 63n));
    w.append([0x05, 0x20, 0x01, 0x0b]); // else local.get 1 end
    w.byte(0x24);
    w.u32(indices.counterGlobal);
    getCounter();
    w.append([0x42, 0x00, 0x53, 0x04, 0x40, 0x10]);
    w.u32(indices.outOfInstructions);
    w.append([0x0b, 0x20, 0x00, 0x0b]); // end; local.get 0; end
    const body = w.finish();
    const out = new Writer();
    out.u32(body.length);
    out.append(body);
    return out.finish();
}

/** `(global (mut i64) (i64.const START_FUNCTION_BUDGET))`, as a global section entry. */
export function counterGlobalEntry(): Uint8Array {
    const w = new Writer();
    w.append([I64, 0x01, 0x42]);
    w.signed(START_FUNCTION_BUDGET);
    w.byte(0x0b);
    return w.finish();
}
