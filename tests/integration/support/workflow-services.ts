/** Service types of the orchestrator and executor for pic-js actors, derived from the shared method tables. */
import type { ExecutorMethods, OrchestratorMethods, WireOf } from '../../../shared/workflow';

type ArgsOf<A extends readonly unknown[]> = { -readonly [I in keyof A]: WireOf<A[I]> };
type ServiceOf<M extends Record<string, { readonly args: readonly unknown[]; readonly ret: unknown }>> = {
    [K in keyof M]: (...args: ArgsOf<M[K]['args']>) => Promise<WireOf<M[K]['ret']>>;
};

export type OrchestratorService = ServiceOf<typeof OrchestratorMethods>;
export type ExecutorService = ServiceOf<typeof ExecutorMethods>;
