import {
    APPLICATION_SUBNET_FEES,
    callTotalFee,
    canisterCreationFee,
    canWithdraw,
    executionCost,
    feeScheduleFor,
    freezingLimit,
    idleCyclesBurnedPerDay,
    ingressInductionCost,
    liquidBalance,
    memoryCost,
    outOfCyclesMessage,
    resourceCharge,
    responseTransmissionRefund,
    unusedExecutionRefund
} from './fees';

const app = APPLICATION_SUBNET_FEES;
const GIB = 1024n ** 3n;

describe('fees', () => {
    describe('a 13-node application subnet', () => {
        it('charges 5M per execution plus one cycle per instruction', () => {
            expect(executionCost(app, 0n)).toBe(5_000_000n);
            expect(executionCost(app, 1_234_567n)).toBe(5_000_000n + 1_234_567n);
        });

        it('refunds the instructions an execution did not use, never more than prepaid', () => {
            expect(unusedExecutionRefund(app, 40_000_000_000n, 1_000n)).toBe(40_000_000_000n - 1_000n);
            expect(unusedExecutionRefund(app, 1_000n, 5_000n)).toBe(0n);
        });

        it('charges ingress 1.2M plus 2,000 per byte', () => {
            expect(ingressInductionCost(app, 0n)).toBe(1_200_000n);
            expect(ingressInductionCost(app, 100n)).toBe(1_200_000n + 200_000n);
        });

        it('prepays a call: 260K + 1,000 per byte, the 2 MiB response reservation and its execution at 40B', () => {
            const reservation = 1_000n * 2_097_152n;
            const responseExecution = 5_000_000n + 40_000_000_000n;
            expect(callTotalFee(app, 10n)).toBe(260_000n + 10_000n + reservation + responseExecution);
        });

        it('refunds the response reservation a response did not use', () => {
            expect(responseTransmissionRefund(app, 0n)).toBe(2_097_152_000n);
            expect(responseTransmissionRefund(app, 100n)).toBe(2_097_152_000n - 100_000n);
            expect(responseTransmissionRefund(app, 3_000_000n)).toBe(0n);
        });

        it('charges 127,000 cycles per GiB per second of storage', () => {
            expect(memoryCost(app, GIB, 1n)).toBe(127_000n);
            expect(memoryCost(app, GIB / 2n, 10n)).toBe(635_000n);
        });

        it('burns idle what storage and compute allocation cost per day', () => {
            expect(idleCyclesBurnedPerDay(app, { memoryBytes: GIB, memoryAllocation: 0n, computeAllocation: 0n })).toBe(127_000n * 86_400n);
            // A reservation above the usage is charged in full; compute allocation per percent.
            expect(idleCyclesBurnedPerDay(app, { memoryBytes: 1n, memoryAllocation: GIB, computeAllocation: 2n })).toBe(
                127_000n * 86_400n + 10_000_000n * 86_400n * 2n
            );
        });

        it('sets the freezing limit at what the threshold period burns idle', () => {
            const use = { memoryBytes: GIB, memoryAllocation: 0n, computeAllocation: 0n };
            expect(freezingLimit(app, use, 86_400n)).toBe(127_000n * 86_400n);
            expect(freezingLimit(app, use, 43_200n)).toBe(127_000n * 43_200n);
            expect(freezingLimit(app, use, 86_400n, 127_000n * 86_400n + 1n)).toBe(0n);
        });

        it('charges storage for whole seconds from the daily rate', () => {
            const use = { memoryBytes: 3n * 1024n * 1024n, memoryAllocation: 0n, computeAllocation: 0n };
            const perDay = memoryCost(app, use.memoryBytes, 86_400n);
            expect(resourceCharge(app, use, 10n)).toBe((perDay * 10n) / 86_400n);
            expect(resourceCharge(app, use, 86_400n)).toBe(perDay);
        });

        it('charges 500B for creating a canister', () => {
            expect(canisterCreationFee(app)).toBe(500_000_000_000n);
        });
    });

    it('scales every fee by the subnet size (34-node fiduciary subnet)', () => {
        const fiduciary = feeScheduleFor('Fiduciary', 'Normal');
        expect(executionCost(fiduciary, 13n)).toBe(((5_000_000n + 13n) * 34n) / 13n);
        expect(canisterCreationFee(fiduciary)).toBe((500_000_000_000n * 34n) / 13n);
    });

    it('charges nothing on system subnets and with cost_schedule Free', () => {
        for (const fees of [feeScheduleFor('Application', 'Free'), feeScheduleFor('NNS', 'Normal'), feeScheduleFor('II', 'Normal')]) {
            expect(executionCost(fees, 1_000_000n)).toBe(0n);
            expect(callTotalFee(fees, 100n)).toBe(0n);
            expect(ingressInductionCost(fees, 100n)).toBe(0n);
            expect(idleCyclesBurnedPerDay(fees, { memoryBytes: GIB, memoryAllocation: 0n, computeAllocation: 0n })).toBe(0n);
        }
    });

    it('lets a withdrawal go down to the freezing limit and no further', () => {
        expect(canWithdraw(1_000n, 400n, 600n)).toBe(true);
        expect(canWithdraw(1_000n, 401n, 600n)).toBe(false);
        expect(liquidBalance(500n, 600n)).toBe(0n);
    });

    it("words the out-of-cycles error as the replica, the shortfall only for controllers", () => {
        expect(outOfCyclesMessage('aaaaa-aa', 1_000n, 700n, 600n, true)).toBe(
            'Canister aaaaa-aa is out of cycles: please top up the canister with at least 300 additional cycles'
        );
        expect(outOfCyclesMessage('aaaaa-aa', 1_000n, 700n, 600n, false)).toBe('Canister aaaaa-aa is out of cycles');
    });
});
