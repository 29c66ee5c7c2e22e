/**
 * A process-wide hook that sees every Wasm execution's metered instruction count: what a
 * benchmark running the server in-process (`bench/scale`) reads per message, since the
 * PocketIC REST API has no per-message instruction count. Unset (the server binary), it costs
 * one branch per execution.
 */

/** One execution: the canister, the entry point (`canister_update m`, `canister_query m`, `canister_global_timer`, `table[n]` for a callback, ...), its instructions. */
export type ObservedExecution = { canisterId: Uint8Array; entry: string; instructions: bigint; trapped: boolean };

let observer: ((e: ObservedExecution) => void) | undefined;

/** Sets (or with `undefined` removes) the observer. */
export function observeExecutions(next: ((e: ObservedExecution) => void) | undefined): void {
    observer = next;
}

export function reportExecution(e: () => ObservedExecution): void {
    if (observer !== undefined) observer(e());
}
