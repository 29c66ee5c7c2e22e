import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { folderBytes, formatBytes, lockStateFolder, StateFolderBusy } from './state-folder';

describe('npm start > state folder', () => {
    const fresh = (): string => mkdtempSync(join(tmpdir(), 'deflow-state-'));

    it('refuses a second holder while the first is alive, naming its pid', () => {
        const folder = fresh();
        const release = lockStateFolder(folder);
        // The parent of this test process is alive and is not us: it stands for a second start.
        expect(() => lockStateFolder(folder, process.ppid)).toThrow(StateFolderBusy);
        try {
            lockStateFolder(folder, process.ppid);
        } catch (error) {
            expect((error as StateFolderBusy).pid).toBe(process.pid);
        }
        release();
        const again = lockStateFolder(folder, process.ppid);
        expect(readFileSync(join(folder, 'lock'), 'utf8').trim()).toBe(String(process.ppid));
        again();
    });

    it('takes over a lock left by a process that no longer exists', () => {
        const folder = fresh();
        writeFileSync(join(folder, 'lock'), '2147483646\n');
        const release = lockStateFolder(folder);
        expect(readFileSync(join(folder, 'lock'), 'utf8').trim()).toBe(String(process.pid));
        release();
    });

    it('adds up the bytes of nested files', () => {
        const folder = fresh();
        mkdirSync(join(folder, 'a', 'b'), { recursive: true });
        writeFileSync(join(folder, 'x'), Buffer.alloc(1_500));
        writeFileSync(join(folder, 'a', 'b', 'y'), Buffer.alloc(2_500));
        expect(folderBytes(folder)).toBe(4_000);
        expect(folderBytes(join(folder, 'missing'))).toBe(0);
        expect(formatBytes(4_000)).toBe('4 kB');
        expect(formatBytes(619_000_000)).toBe('619.0 MB');
    });
});
