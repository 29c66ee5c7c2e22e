/** Upgrade-drill test support: run a drill on a fresh instance and assert it passed, showing the report if not. */
import type { PocketIc } from '@dfinity/pic';

import { isFailure } from '../../../drill/checks';
import { DRILL_TOPOLOGY } from '../../../drill/env';
import { TEST_PROFILE } from '../../../drill/load';
import { formatDrill } from '../../../drill/report';
import { runDrill, type DrillOptions, type DrillResult } from '../../../drill/run';
import type { PeerRole } from '../../../shared/common/deployment';
import { createPic } from './pic';

/** Runs a drill with the test load profile on a fresh two-subnet instance, `DRILL_TOPOLOGY` (torn down afterwards). */
export async function drill(scenario: string, order: readonly PeerRole[], over: Partial<DrillOptions> = {}): Promise<DrillResult> {
    const pic: PocketIc = await createPic({ topology: DRILL_TOPOLOGY });
    try {
        return await runDrill(pic, { scenario, order, rounds: 1, profile: TEST_PROFILE, ...over });
    } finally {
        await pic.tearDown();
    }
}

/** The findings that fail a drill, with the whole report as the failure message. */
export function expectPassed(result: DrillResult): void {
    const failures = result.findings.filter(isFailure);
    if (failures.length > 0) throw new Error(`drill failed:\n${formatDrill(result)}`);
}
