/** The workflow contract shared by the orchestrator and executor: IDL, zod schemas, TS types. */
export * from '../common/codec';
export * from './limits';
export * from './json';
export * from './candid-text';
export * from './candid-json';
export * from './recovery';
export * from './node';
export * from './definition';
export * from './execution';
export * from './errors';
export * from './call-policy';
export * from './retry';
export * from './api-common';
export * from './orchestrator-api';
export * from './owner-api';
export * from './quotas';
export * from './executor-api';
