/**
 * persistence benchmark: what `npm start`'s saves cost on the network it makes (the four DeFlow
 * canisters, the three demo canisters), in process as `scripts/start.ts` runs it. Reports the
 * state folder after the first save, a save after a minute of timers, and a save with nothing
 * changed (target: no bytes written, no memory hashed), each with the bytes it wrote.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { PocketIc } from '@dfinity/pic';
import { Principal } from '@dfinity/principal';

import { deployDeflow, deployDemoCanisters } from '../cli/deploy';
import type { InstanceConfig } from '../localnet/src/api';
import { Instance } from '../localnet/src/instance';
import { IncrementalSaver, type SaveReport } from '../localnet/src/persistence';
import { blobStore } from '../localnet/src/server/blob-store';
import { startHttpServer } from '../localnet/src/server/http-server';
import { InstanceRegistry } from '../localnet/src/server/registry';
import { folderBytes, formatBytes } from '../scripts/state-folder';
import { formatMs, printSection, type Row } from './stats';

const MINUTE_NS = 60_000_000_000n;

function row(name: string, report: SaveReport, folder: string): Row {
    return { name, value: formatMs(report.ms), note: `wrote ${formatBytes(report.bytesWritten)} (${report.chunksWritten} new chunks of ${report.chunksSeen} hashed); folder ${formatBytes(folderBytes(folder))}` };
}

export async function persistenceBench(): Promise<void> {
    let network: { instance: Instance; config: InstanceConfig } | null = null;
    const registry = new InstanceRegistry(() => (config) => {
        const instance = new Instance(config);
        network ??= { instance, config };
        return instance;
    });
    const server = await startHttpServer({ host: '127.0.0.1', port: 0, context: { registry, blobs: blobStore } });
    const folder = join(mkdtempSync(join(tmpdir(), 'deflow-bench-persistence-')), 'network');
    try {
        const pic = await PocketIc.create(`http://127.0.0.1:${server.port}`);
        const operator = Principal.fromText('rrkah-fqaaa-aaaaa-aaaaq-cai');
        await pic.setTime(Date.now());
        await deployDeflow(pic, { admins: [operator], controller: operator });
        await deployDemoCanisters(pic, operator);
        const { instance, config } = network!;
        const saver = new IncrementalSaver(folder);
        const rows: Row[] = [row('first save after deploy', saver.save(instance, config), folder)];
        instance.setTime(instance.getTime() + MINUTE_NS);
        for (let round = 0; round < 20; round++) instance.tick();
        rows.push(row('save after a minute of timers', saver.save(instance, config), folder));
        rows.push(row('save with nothing changed', saver.save(instance, config), folder));
        printSection('persistence (npm start network: 4 DeFlow + 3 demo canisters; IncrementalSaver)', rows);
        await pic.tearDown();
    } finally {
        await server.close();
        registry.disposeAll();
        rmSync(join(folder, '..'), { recursive: true, force: true });
    }
}
