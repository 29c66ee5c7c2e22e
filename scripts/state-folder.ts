/**
 * The state folder of `npm start` (`.deflow/` by default): one network per folder, guarded by
 * a lock file, and its size for the start-up report.
 */
import { closeSync, existsSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** Why a start was refused: another live process holds the folder. */
export class StateFolderBusy extends Error {
    constructor(
        readonly folder: string,
        readonly pid: number
    ) {
        super(
            `another npm start (pid ${pid}) is running on ${folder}: stop it first (Ctrl-C in its terminal, or kill ${pid}), ` +
                `or give this one its own folder with --state DIR`
        );
    }
}

const LOCK_FILE = 'lock';

/** Whether a process with this id is alive (signal 0 only checks). */
function isAlive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch (error) {
        // EPERM: it exists but belongs to someone else; that still holds the folder.
        return (error as NodeJS.ErrnoException).code === 'EPERM';
    }
}

/**
 * Takes the folder's lock for this process, or throws {@link StateFolderBusy} when a live
 * process holds it. A lock left by a process that died (kill -9, a crash) is taken over.
 * Returns the function that releases it.
 */
export function lockStateFolder(folder: string, pid = process.pid): () => void {
    const path = join(folder, LOCK_FILE);
    for (let attempt = 0; attempt < 2; attempt++) {
        try {
            const fd = openSync(path, 'wx');
            writeSync(fd, `${pid}\n`);
            closeSync(fd);
            return () => {
                if (existsSync(path) && readFileSync(path, 'utf8').trim() === String(pid)) rmSync(path, { force: true });
            };
        } catch (error) {
            if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
            const holder = Number(readFileSync(path, 'utf8').trim());
            if (Number.isSafeInteger(holder) && holder > 0 && holder !== pid && isAlive(holder)) throw new StateFolderBusy(folder, holder);
            rmSync(path, { force: true });
        }
    }
    throw new Error(`cannot take the lock ${path}`);
}

/** Total bytes of the files under `folder` (0 when it does not exist). */
export function folderBytes(folder: string): number {
    if (!existsSync(folder)) return 0;
    let total = 0;
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
        const path = join(folder, entry.name);
        if (entry.isDirectory()) total += folderBytes(path);
        else if (entry.isFile()) total += statSync(path).size;
    }
    return total;
}

/** `12.3 MB`, `456 kB`, `78 B`. */
export function formatBytes(bytes: number): string {
    if (bytes >= 1_000_000) return `${(bytes / 1_000_000).toFixed(1)} MB`;
    if (bytes >= 1_000) return `${Math.round(bytes / 1_000)} kB`;
    return `${bytes} B`;
}
