/** The orchestrator's pure domain logic: `(state, input, now) -> { state, effects }`. No Azle imports. */
export * from './effects';
export * from './dag';
export * from './evaluate';
export * from './failure';
export * from './machine';
export * from './readiness';
export * from './draft';
export * from './recover';
export * from './advance';
export * from './outcome';
export * from './lifecycle';
export * from './retention';
export * from './hold';
export * from './trigger';
export * from './outbox';
export * from './liquidation';
