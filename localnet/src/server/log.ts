/**
 * Output channels. pic-js shows the server's stdout only with `showRuntimeLogs` and its stderr
 * only with `showCanisterLogs`, so server chatter goes to stdout and canister output to stderr.
 */

let requestLogging = false;

/** Turns request logging (`--log`) on or off. */
export function setRequestLogging(enabled: boolean): void {
    requestLogging = enabled;
}

/** Logs one handled request to stdout when `--log` was given. */
export function requestLog(line: string): void {
    if (requestLogging) process.stdout.write(`${line}\n`);
}

/** Server-level messages (startup, shutdown) to stdout. */
export function serverLog(line: string): void {
    process.stdout.write(`${line}\n`);
}

/**
 * Canister output (`debug_print`, traps) to stderr. The engine formats the line, e.g.
 * `2021-05-06 19:17:10.000000003 UTC: [Canister lxzze-…] hello`.
 */
export function canisterLog(line: string): void {
    process.stderr.write(line.endsWith('\n') ? line : `${line}\n`);
}

/** Unexpected failures inside the server (a bug, not a client error) to stderr. */
export function errorLog(line: string): void {
    process.stderr.write(`[localnet] ${line}\n`);
}
