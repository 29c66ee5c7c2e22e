/**
 * `deflow schedule add WF --when JSON|@FILE`: a condition trigger described in JSON (or YAML),
 * in the words of a user rather than Candid:
 *
 * ```json
 * { "every": 30, "canister": "<oracle id>", "method": "get_price", "args": "4449444c0000",
 *   "replyTypes": "(record { price_e8s: nat64 })", "path": "price_e8s", "op": "Lt",
 *   "value": 60000000, "cooldown": 300 }
 * ```
 *
 * `args` is the hex of the Candid argument bytes (default: no arguments, `4449444c0000`);
 * `cooldown` is optional (default 0 s). The scheduler validates the rest (field paths
 * `kind.Condition.*`).
 */
import { Principal } from '@dfinity/principal';
import { z } from 'zod';

import type { ConditionOp, ConditionTrigger } from '../../shared/scheduling/condition';
import type { JsonValue } from '../../shared/workflow/json';
import { CliError } from '../errors';

const EMPTY_ARGS_HEX = '4449444c0000';
const OPS = ['Lt', 'Le', 'Gt', 'Ge', 'Eq', 'Ne'] as const;

const WhenSchema = z.object({
    every: z.number().int().positive(),
    canister: z.string().min(1),
    method: z.string().min(1),
    args: z.string().regex(/^([0-9a-fA-F]{2})*$/, { message: 'hex bytes' }).default(EMPTY_ARGS_HEX),
    replyTypes: z.string().min(1),
    path: z.string(),
    op: z.enum(OPS),
    value: z.unknown().refine((v) => v !== undefined, { message: 'required' }),
    cooldown: z.number().int().min(0).default(0)
}).strict();

function opOf(op: (typeof OPS)[number]): ConditionOp {
    return { [op]: null } as ConditionOp;
}

/**
 * The trigger of `--when`, or a bad-input error naming the field.
 *
 * @example
 * conditionTriggerOf({ every: 30, canister: 'rrkah-fqaaa-aaaaa-aaaaq-cai', method: 'get_price', replyTypes: '(record { price_e8s: nat64 })', path: 'price_e8s', op: 'Lt', value: 60000000 })
 * // { every_seconds: 30n, read: { ... }, op: { Lt: null }, value: '60000000', cooldown_seconds: 0n }
 */
export function conditionTriggerOf(json: JsonValue): ConditionTrigger {
    const parsed = WhenSchema.safeParse(json);
    if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new CliError('BadInput', `--when: ${issue?.path.join('.') || 'value'} ${issue?.message ?? 'is invalid'}`);
    }
    const w = parsed.data;
    let canister: Principal;
    try {
        canister = Principal.fromText(w.canister);
    } catch {
        throw new CliError('BadInput', `--when: canister "${w.canister}" is not a principal`);
    }
    const args = Uint8Array.from((w.args.match(/../g) ?? []).map((h) => parseInt(h, 16)));
    return {
        every_seconds: BigInt(w.every),
        read: { canister, method: w.method, args, reply_types: w.replyTypes },
        path: w.path,
        op: opOf(w.op),
        value: JSON.stringify(w.value),
        cooldown_seconds: BigInt(w.cooldown)
    };
}

/** `when get_price price_e8s Lt 60000000 (every 30s)`. */
export function conditionText(t: ConditionTrigger): string {
    const op = Object.keys(t.op)[0] ?? '?';
    return `when ${t.read.method} ${t.path === '' ? '(reply)' : t.path} ${op} ${t.value} (every ${t.every_seconds}s${t.cooldown_seconds > 0n ? `, cool-down ${t.cooldown_seconds}s` : ''})`;
}
