/** Scheduling contracts: schedule kinds and policies, firing history, outbox, scheduler service. */
export * from '../common/codec';
export * from './condition';
export * from './firing';
export * from './outbox';
export * from './schedule';
export * from './service';
export * from './target';
