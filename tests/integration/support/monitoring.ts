/** Monitor test support: the typed actor and caller identities. */
import { createIdentity, type Actor, type PocketIc } from '@dfinity/pic';

import { monitorIdlFactory, type MonitorMethods } from '../../../shared/monitoring/service';
import type { ServiceOf } from '../../../shared/common/codec';
import { deflowActor, type DeflowDeployment } from './deflow';

export type MonitorService = ServiceOf<typeof MonitorMethods>;

export { monitorIdlFactory };

/** Identities of the caller roles the monitor tells apart. */
export function identities(): { admin: ReturnType<typeof createIdentity>; stranger: ReturnType<typeof createIdentity> } {
    return { admin: createIdentity('deflow-admin'), stranger: createIdentity('deflow-stranger') };
}

/** The monitor actor, optionally as another identity. */
export function monitorActor(pic: PocketIc, deployment: DeflowDeployment, identity?: ReturnType<typeof createIdentity>): Actor<MonitorService> {
    return deflowActor<MonitorService>(pic, deployment, 'monitor', monitorIdlFactory, identity);
}
