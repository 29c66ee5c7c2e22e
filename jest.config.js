/**
 * Two projects: `unit` (pure logic, no server) and `integration` (real canister wasm on a
 * PocketIC-compatible server started once per run by the global setup).
 */
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.json', isolatedModules: true }];

/** @type {import('jest').Config} */
module.exports = {
    projects: [
        {
            displayName: 'unit',
            testEnvironment: 'node',
            transform: { '^.+\\.ts$': tsJest },
            // Azle's serializer source, which bench/scale/canisters/fast-json-encoder.test.ts compares against.
            transformIgnorePatterns: ['/node_modules/(?!azle/src/stable/lib/)'],
            testMatch: ['<rootDir>/shared/**/*.test.ts', '<rootDir>/canisters/**/*.test.ts', '<rootDir>/localnet/src/**/*.test.ts', '<rootDir>/localnet/system-canisters/**/*.test.ts', '<rootDir>/cli/**/*.test.ts', '<rootDir>/client/**/*.test.ts', '<rootDir>/examples/**/*.test.ts', '<rootDir>/drill/**/*.test.ts', '<rootDir>/scripts/**/*.test.ts', '<rootDir>/frontend/src/**/*.test.ts', '<rootDir>/bench/**/*.test.ts']
        },
        {
            displayName: 'integration',
            testEnvironment: 'node',
            transform: { '^.+\\.ts$': tsJest },
            testMatch: ['<rootDir>/localnet/tests/**/*.spec.ts', '<rootDir>/tests/integration/**/*.spec.ts'],
            globalSetup: '<rootDir>/tests/integration/support/global-setup.ts',
            globalTeardown: '<rootDir>/tests/integration/support/global-teardown.ts'
        }
    ]
};
