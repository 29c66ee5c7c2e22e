import { APPLICATION_SUBNET_LIMITS, BENCHMARKING_LIMIT, parseInstructionLimits, roundBudget, subnetLimits, SYSTEM_SUBNET_LIMITS } from './instruction-limits';

describe('Localnet > engine > instruction limits', () => {
    it('are the replica values on an application subnet', () => {
        expect(subnetLimits('Application', 'Production')).toEqual({
            message: 40_000_000_000n,
            query: 5_000_000_000n,
            install: 300_000_000_000n,
            inspect: 200_000_000n,
            round: 7_000_000_000n,
            slice: 2_000_000_000n,
            messageWithoutDts: 5_000_000_000n
        });
        expect(subnetLimits('Fiduciary', 'Production')).toBe(APPLICATION_SUBNET_LIMITS);
        expect(subnetLimits('NNS', 'Production')).toBe(SYSTEM_SUBNET_LIMITS);
    });

    it('are lifted by Benchmarking, except for installs and inspect_message', () => {
        const limits = subnetLimits('Application', 'Benchmarking');
        expect(limits.message).toBe(BENCHMARKING_LIMIT);
        expect(limits.query).toBe(BENCHMARKING_LIMIT);
        expect(limits.round).toBe(BENCHMARKING_LIMIT);
        expect(limits.install).toBe(300_000_000_000n);
        expect(limits.inspect).toBe(200_000_000n);
    });

    it('give a round budget of round - max(slice, message without DTS) + 1', () => {
        expect(roundBudget(APPLICATION_SUBNET_LIMITS)).toBe(2_000_000_001n);
        expect(roundBudget(SYSTEM_SUBNET_LIMITS)).toBe(2_000_000_001n);
        expect(roundBudget(subnetLimits('Application', 'Benchmarking'))).toBe(1n);
    });

    it('parse the server flag', () => {
        expect(parseInstructionLimits('message=1000,query=20')).toEqual({ message: 1000n, query: 20n });
        expect(parseInstructionLimits('benchmarking').message).toBe(BENCHMARKING_LIMIT);
        expect(() => parseInstructionLimits('messages=1')).toThrow(/names: message, query/);
        expect(() => parseInstructionLimits('message=-1')).toThrow(/name=N pairs/);
        expect(() => parseInstructionLimits('message=0')).toThrow(/must be positive/);
    });
});
