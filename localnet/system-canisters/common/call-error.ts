/**
 * What an Azle `call` threw, as one readable line: Azle 0.33 throws plain objects
 * (`CallRejected { rejectCode, rejectMessage }`, `InsufficientLiquidCycleBalance { available,
 * required }`, ...), not `Error`s, and they may hold bigints that `JSON.stringify` refuses.
 */
export function callErrorText(error: unknown): string {
    if (error instanceof Error) return error.message;
    if (typeof error === 'object' && error !== null) {
        const fields = error as { type?: unknown; rejectCode?: unknown; rejectMessage?: unknown; available?: unknown; required?: unknown };
        if (typeof fields.rejectMessage === 'string') return `reject code ${String(fields.rejectCode)}: ${fields.rejectMessage}`;
        if (fields.type === 'InsufficientLiquidCycleBalance') return `insufficient liquid cycle balance: ${String(fields.available)} available, ${String(fields.required)} required`;
        if (typeof fields.type === 'string') return fields.type;
    }
    return String(error);
}
