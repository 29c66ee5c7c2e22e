import { MAX_PAGE_SIZE } from '../../../../shared/common/page';
import { scheduleListLimit } from './listing';

describe('Scheduler > listing page size', () => {
    it(`serves a larger limit as ${MAX_PAGE_SIZE} and no limit as a full page`, () => {
        expect(scheduleListLimit(1000)).toEqual({ Ok: MAX_PAGE_SIZE });
        expect(scheduleListLimit(MAX_PAGE_SIZE + 1)).toEqual({ Ok: MAX_PAGE_SIZE });
        expect(scheduleListLimit(undefined)).toEqual({ Ok: MAX_PAGE_SIZE });
    });

    it('keeps a smaller limit and refuses 0', () => {
        expect(scheduleListLimit(3)).toEqual({ Ok: 3 });
        expect(scheduleListLimit(0)).toEqual({ Err: { InvalidInput: { field: 'limit', message: 'must be at least 1' } } });
    });
});
