/**
 * `deflow position-manager ...` and `deflow liquidations`: the canister and method the
 * caller's `LiquidatePosition` actions call (from their agent), and what became of each
 * liquidation (docs/workflows.md, "LiquidatePosition").
 */
import { Principal } from '@dfinity/principal';

import type { LiquidationStatusWire, LiquidationWire, PositionManagerWire } from '../../shared/workflow/liquidation';
import type { Command } from '../context';
import { CliError } from '../errors';
import { formatFields, formatTime, tagText } from '../output';

/** Human view of a position manager (or of none). */
export function managerLines(m: PositionManagerWire | undefined): string[] {
    if (m === undefined) return ['no position manager: LiquidatePosition actions are refused (and recorded) until you set one'];
    return formatFields([
        ['canister', m.canister.toText()],
        ['method', m.method],
        ['arguments', m.arg_types],
        ['reply', m.reply_types]
    ]);
}

function statusText(s: LiquidationStatusWire): string {
    if ('Succeeded' in s) return `Succeeded ${s.Succeeded.output}`;
    if ('Failed' in s) return `Failed (${tagText(s.Failed.kind)}): ${s.Failed.message}`;
    if ('Refused' in s) {
        const r = s.Refused;
        return `Refused: ${'InvalidArguments' in r ? `InvalidArguments: ${r.InvalidArguments}` : 'CallRefused' in r ? `CallRefused (${tagText(r.CallRefused)})` : 'NoPositionManager'}`;
    }
    return 'Pending';
}

/** One line per liquidation: when, which node, what was called, what came of it. */
export function liquidationLine(l: LiquidationWire): string {
    const target = l.target[0];
    return `${formatTime(l.requested_at)}  ${l.execution_id}/${l.node_id}  ${target === undefined ? '-' : `${target.canister.toText()}.${target.method}`}  ${statusText(l.status)}`;
}

/** `CANISTER METHOD ARG_TYPES REPLY_TYPES` as a position manager (the canister id must parse; the orchestrator checks the rest). */
export function managerOf(canister: string, method: string, argTypes: string, replyTypes: string): PositionManagerWire {
    let id: Principal;
    try {
        id = Principal.fromText(canister);
    } catch {
        throw new CliError('Usage', `${canister} is not a canister id`);
    }
    return { canister: id, method, arg_types: argTypes, reply_types: replyTypes };
}

export const positionCommands: Command[] = [
    {
        words: ['position-manager', 'set'],
        synopsis: '<canister> <method> <arg-types> <reply-types>',
        summary: "name the position manager your LiquidatePosition actions call, e.g. <lending id> liquidate '(record { position: text })' '(variant { Ok: nat; Err: text })'",
        options: [],
        args: { min: 4, max: 4 },
        async run(ctx, [canister, method, argTypes, replyTypes]) {
            const m = await (await ctx.client()).positions.setManager(managerOf(canister!, method!, argTypes!, replyTypes!));
            ctx.show(m ?? null, () => managerLines(m));
        }
    },
    {
        words: ['position-manager', 'show'],
        synopsis: '',
        summary: 'your position manager',
        options: [],
        args: { min: 0, max: 0 },
        async run(ctx) {
            const m = await (await ctx.client()).positions.manager();
            ctx.show(m ?? null, () => managerLines(m));
        }
    },
    {
        words: ['position-manager', 'clear'],
        synopsis: '',
        summary: 'remove your position manager (LiquidatePosition actions are then refused, and recorded)',
        options: [],
        args: { min: 0, max: 0 },
        async run(ctx) {
            await (await ctx.client()).positions.setManager(undefined);
            ctx.show(null, () => managerLines(undefined));
        }
    },
    {
        words: ['liquidations'],
        synopsis: '',
        summary: 'your latest liquidations (newest first): sent, refused and why, their answer',
        options: [],
        args: { min: 0, max: 0 },
        async run(ctx) {
            const log = await (await ctx.client()).positions.liquidations();
            ctx.show(log, () => [...log.recent.map(liquidationLine), `${log.total} liquidation(s) in all`]);
        }
    }
];
