import { MAX_PAGE_SIZE, pageLimit } from './page';

describe('pageLimit', () => {
    it(`serves a larger limit as ${MAX_PAGE_SIZE}, with the cursor carrying on`, () => {
        expect(pageLimit(1000)).toBe(MAX_PAGE_SIZE);
        expect(pageLimit(MAX_PAGE_SIZE + 1)).toBe(MAX_PAGE_SIZE);
    });

    it('serves a smaller limit as asked', () => {
        expect(pageLimit(3)).toBe(3);
        expect(pageLimit(MAX_PAGE_SIZE)).toBe(MAX_PAGE_SIZE);
    });

    it('serves no limit, or 0, as a full page', () => {
        expect(pageLimit(undefined)).toBe(MAX_PAGE_SIZE);
        expect(pageLimit(0)).toBe(MAX_PAGE_SIZE);
    });
});
