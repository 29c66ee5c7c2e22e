import { pruneExecutions, type RetentionCandidate } from './retention';

const DAY = 86_400_000;
const NOW = 100n * BigInt(DAY) * 1_000_000n;
const at = (daysAgo: number): bigint => NOW - BigInt(daysAgo * DAY) * 1_000_000n;

describe('Orchestrator > retention', () => {
    const xs: RetentionCandidate[] = [
        { id: 'old', status: 'Succeeded', finishedAt: at(40) },
        { id: 'oldRunning', status: 'Running' },
        { id: 'r1', status: 'Failed', finishedAt: at(3) },
        { id: 'r2', status: 'Cancelled', finishedAt: at(2) },
        { id: 'r3', status: 'Succeeded', finishedAt: at(1) },
        { id: 'paused', status: 'Paused' }
    ];
    it.each([
        ['age only', { maxCompleted: 100, maxAgeMs: 30 * DAY }, ['old']],
        ['count keeps the newest', { maxCompleted: 2, maxAgeMs: 30 * DAY }, ['old', 'r1']],
        ['count zero drops every finished one', { maxCompleted: 0, maxAgeMs: 365 * DAY }, ['old', 'r1', 'r2', 'r3']],
        ['nothing to prune', { maxCompleted: 10, maxAgeMs: 365 * DAY }, []]
    ])('%s', (_l, policy, expected) => {
        expect(pruneExecutions(xs, NOW, policy)).toEqual(expected);
    });
});
