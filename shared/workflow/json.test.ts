import { jsonDepth, JsonTextSchema, parseJson } from './json';
import { WORKFLOW_LIMITS } from './limits';

const nested = (depth: number): string => `${'['.repeat(depth)}0${']'.repeat(depth)}`;

describe('Workflow contract > JSON bounds', () => {
    it.each([
        ['0', 0],
        ['[]', 1],
        ['{"a":[1,[2]]}', 3],
        ['"[[[["', 0],
        ['["\\"[", {"b": {}}]', 3]
    ])('jsonDepth(%s) = %i', (text, depth) => {
        expect(jsonDepth(text)).toBe(depth);
    });

    it('accepts JSON nested exactly to the bound and refuses one level more, unparsed', () => {
        expect(JsonTextSchema.safeParse(nested(WORKFLOW_LIMITS.maxJsonDepth)).success).toBe(true);
        const r = JsonTextSchema.safeParse(nested(WORKFLOW_LIMITS.maxJsonDepth + 1));
        expect(r.success ? [] : r.error.issues.map((i) => i.message)).toEqual([`nested deeper than ${WORKFLOW_LIMITS.maxJsonDepth} levels`]);
    });

    it('refuses text 8,000 deep with one typed issue instead of overflowing the stack', () => {
        const spy = jest.spyOn(JSON, 'parse');
        const r = JsonTextSchema.safeParse(nested(8000));
        expect(r.success).toBe(false);
        expect(spy).not.toHaveBeenCalled();
        spy.mockRestore();
        expect(parseJson(nested(8000))).toEqual({ ok: false, message: `nested deeper than ${WORKFLOW_LIMITS.maxJsonDepth} levels` });
    });

    it('checks size before depth', () => {
        const r = JsonTextSchema.safeParse(nested(9000));
        expect(r.success ? [] : r.error.issues.map((i) => i.message)).toEqual([`at most ${WORKFLOW_LIMITS.maxPayloadBytes} bytes`]);
    });
});
