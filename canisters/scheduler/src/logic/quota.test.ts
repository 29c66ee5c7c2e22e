import { Principal } from '@dfinity/principal';

import { MAX_SCHEDULES_PER_OWNER, scheduleQuotaRefusal } from './quota';

const OWNER = Principal.fromText('rdmx6-jaaaa-aaaaa-aaadq-cai');

describe('Scheduler > schedule quota', () => {
    it('refuses the anonymous principal any schedule', () => {
        expect(scheduleQuotaRefusal(Principal.anonymous(), 0)).toEqual({ Unauthorized: { caller: Principal.anonymous() } });
    });

    it(`lets an owner hold ${MAX_SCHEDULES_PER_OWNER} schedules and refuses one more`, () => {
        expect(scheduleQuotaRefusal(OWNER, MAX_SCHEDULES_PER_OWNER - 1)).toBeUndefined();
        expect(scheduleQuotaRefusal(OWNER, MAX_SCHEDULES_PER_OWNER)).toEqual({ LimitExceeded: { limit: 'schedules_per_owner', max: BigInt(MAX_SCHEDULES_PER_OWNER) } });
        expect(scheduleQuotaRefusal(OWNER, 2, 2)).toEqual({ LimitExceeded: { limit: 'schedules_per_owner', max: 2n } });
    });
});
