/** Service types of the orchestrator and executor for pic-js actors, derived from the shared method tables. */
import type { ExecutorMethods, OrchestratorMethods, ServiceOf } from '../../../shared/workflow';

export type OrchestratorService = ServiceOf<typeof OrchestratorMethods>;
export type ExecutorService = ServiceOf<typeof ExecutorMethods>;
