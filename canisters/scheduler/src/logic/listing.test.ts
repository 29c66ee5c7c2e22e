import { MAX_PAGE_SIZE } from '../../../../shared/scheduling/service';
import { pageLimit } from './listing';

describe('Scheduler > listing page size', () => {
    it(`serves a larger limit as ${MAX_PAGE_SIZE} and no limit as a full page`, () => {
        expect(pageLimit(1000)).toEqual({ Ok: MAX_PAGE_SIZE });
        expect(pageLimit(MAX_PAGE_SIZE + 1)).toEqual({ Ok: MAX_PAGE_SIZE });
        expect(pageLimit(undefined)).toEqual({ Ok: MAX_PAGE_SIZE });
    });

    it('keeps a smaller limit and refuses 0', () => {
        expect(pageLimit(3)).toEqual({ Ok: 3 });
        expect(pageLimit(0)).toEqual({ Err: { InvalidInput: { field: 'limit', message: 'must be at least 1' } } });
    });
});
