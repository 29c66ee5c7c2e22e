/**
 * Reading the `caller` fixture's `callRaw` outcome in tests: the reply or the reject a canister
 * saw for a call it made.
 */
import type { CallOutcome } from './fixtures';

export function expectOk(outcome: CallOutcome): { reply: Uint8Array; refunded: bigint } {
    if ('Err' in outcome) throw new Error(`expected a reply, got reject ${outcome.Err.code}: ${outcome.Err.message}`);
    return { reply: new Uint8Array(outcome.Ok.reply), refunded: outcome.Ok.refunded };
}

export function expectErr(outcome: CallOutcome): { code: number; message: string; refunded: bigint } {
    if ('Ok' in outcome) throw new Error('expected a reject, got a reply');
    return outcome.Err;
}
