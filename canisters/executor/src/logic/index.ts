/** The executor's pure domain logic. No Azle imports. */
export * from './attempts';
export * from './reply';
export * from './run';
export * from './index-times';
export * from './agent-module';
export * from './agent-upgrade';
