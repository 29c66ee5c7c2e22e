import { MalformedRequestError } from './codec';
import { parseInstanceConfig } from './config';
import { parseJson } from './json';

const spec = '{"dts_flag":"Enabled","instruction_config":"Production","cost_schedule":"Normal","state_config":"New"}';
const PIC_JS_DEFAULT = `{"subnet_config_set":{"system":[],"application":[${spec}],"cloud_engine":[],"verified_application":[]}}`;

describe('parseInstanceConfig', () => {
    it("accepts pic-js's default body: one application subnet", () => {
        expect(parseInstanceConfig(parseJson(PIC_JS_DEFAULT))).toEqual({ ok: { subnets: [{ kind: 'Application', instructionConfig: 'Production', costSchedule: 'Normal' }] } });
    });

    it('orders single subnets before lists and ignores unknown keys', () => {
        const body = `{"subnet_config_set":{"nns":${spec},"ii":${spec},"system":[${spec}],"application":[${spec},${spec}],"verified_application":[],"cloud_engine":[],"future":1},"icp_config":{"beta_features":"Enabled"},"disable_ingress_validation":true,"unknown":{}}`;
        const result = parseInstanceConfig(parseJson(body));
        expect('ok' in result && result.ok.subnets.map((subnet) => subnet.kind)).toEqual(['NNS', 'II', 'System', 'Application', 'Application']);
    });

    it('reads the instruction config', () => {
        const body = `{"subnet_config_set":{"application":[{"state_config":"New","instruction_config":"Benchmarking"}]}}`;
        expect(parseInstanceConfig(parseJson(body))).toEqual({ ok: { subnets: [{ kind: 'Application', instructionConfig: 'Benchmarking', costSchedule: 'Normal' }] } });
    });

    it('reads the cost schedule', () => {
        const body = `{"subnet_config_set":{"application":[{"state_config":"New","cost_schedule":"Free"}]}}`;
        expect(parseInstanceConfig(parseJson(body))).toEqual({ ok: { subnets: [{ kind: 'Application', instructionConfig: 'Production', costSchedule: 'Free' }] } });
    });

    it.each([
        ['an unknown cost schedule', '{"subnet_config_set":{"application":[{"state_config":"New","cost_schedule":"Cheap"}]}}'],
        ['no subnet', '{"subnet_config_set":{"system":[],"application":[],"cloud_engine":[],"verified_application":[]}}'],
        ['ICP features', `{"subnet_config_set":{"application":[${spec}]},"icp_features":{"registry":"DefaultConfig"}}`],
        ['state from a directory', `{"subnet_config_set":{"nns":{"state_config":{"FromPath":"/tmp/nns"}}}}`],
        ['cloud engine subnets', `{"subnet_config_set":{"application":[${spec}],"cloud_engine":[${spec}]}}`]
    ])('answers an Error for %s', (_name, body) => {
        expect(parseInstanceConfig(parseJson(body))).toEqual({ error: expect.any(String) });
    });

    it('treats an empty icp_features object as no features', () => {
        expect('ok' in parseInstanceConfig(parseJson(`{"subnet_config_set":{"application":[${spec}]},"icp_features":{}}`))).toBe(true);
    });

    it('throws for a body without subnet_config_set', () => {
        expect(() => parseInstanceConfig(parseJson('{}'))).toThrow(MalformedRequestError);
        expect(() => parseInstanceConfig(null)).toThrow(MalformedRequestError);
    });
});
