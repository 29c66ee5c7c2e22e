/**
 * Parsing of PocketIC's InstanceConfig (`POST /instances`). Only the subnet layout matters to
 * the emulator; unknown keys are ignored, as serde does in the real server.
 */
import { InstanceConfig, SubnetKind } from '../api';
import { asObject, optionalField } from './codec';
import { JsonObject, JsonValue } from './json';

/** A configuration the emulator cannot provide; answered `{"Error":{"message"}}`. */
export type ConfigResult = { ok: InstanceConfig } | { error: string };

type SubnetSpec = InstanceConfig['subnets'][number];

/** Single-subnet keys of `subnet_config_set`, in the order the subnets are created. */
const SINGLE_SUBNETS: ReadonlyArray<[string, SubnetKind]> = [
    ['nns', 'NNS'],
    ['sns', 'SNS'],
    ['ii', 'II'],
    ['fiduciary', 'Fiduciary'],
    ['bitcoin', 'Bitcoin']
];

/** Subnet-list keys of `subnet_config_set`, after the single subnets. */
const SUBNET_LISTS: ReadonlyArray<[string, SubnetKind]> = [
    ['system', 'System'],
    ['application', 'Application'],
    ['verified_application', 'VerifiedApplication']
];

/**
 * Reads an InstanceConfig body. Throws `MalformedRequestError` if the body is not an object
 * with a `subnet_config_set` object; returns `{error}` for configurations that are well formed
 * but unsupported (no subnet, ICP features, state loaded from a directory, cloud-engine subnets).
 */
export function parseInstanceConfig(body: JsonValue): ConfigResult {
    const request = asObject(body, 'instance config');
    const subnetSet = asObject(optionalField(request, 'subnet_config_set') ?? null, 'subnet_config_set');

    if (requestsIcpFeatures(optionalField(request, 'icp_features'))) {
        return { error: 'ICP features (system canisters such as the registry or ledger) are not supported by this emulator' };
    }
    const cloudEngine = optionalField(subnetSet, 'cloud_engine');
    if (Array.isArray(cloudEngine) && cloudEngine.length > 0) return { error: 'cloud engine subnets are not supported by this emulator' };

    const specs: Array<{ kind: SubnetKind; spec: JsonValue }> = [];
    for (const [key, kind] of SINGLE_SUBNETS) {
        const spec = optionalField(subnetSet, key);
        if (spec !== undefined) specs.push({ kind, spec });
    }
    for (const [key, kind] of SUBNET_LISTS) {
        const list = optionalField(subnetSet, key) ?? [];
        if (!Array.isArray(list)) return { error: `subnet_config_set.${key} must be a list` };
        for (const spec of list) specs.push({ kind, spec });
    }
    if (specs.length === 0) return { error: 'At least one subnet must be configured.' };

    const subnets: SubnetSpec[] = [];
    for (const { kind, spec } of specs) {
        const parsed = parseSubnetSpec(kind, spec);
        if ('error' in parsed) return parsed;
        subnets.push(parsed.ok);
    }
    return { ok: { subnets } };
}

function parseSubnetSpec(kind: SubnetKind, value: JsonValue): { ok: SubnetSpec } | { error: string } {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return { error: `${kind} subnet spec must be an object` };
    const spec: JsonObject = value;
    const stateConfig = optionalField(spec, 'state_config') ?? 'New';
    if (stateConfig !== 'New') return { error: `${kind} subnet: loading subnet state from a directory is not supported by this emulator` };
    const instructionConfig = optionalField(spec, 'instruction_config') ?? 'Production';
    if (instructionConfig !== 'Production' && instructionConfig !== 'Benchmarking') {
        return { error: `${kind} subnet: unknown instruction_config ${JSON.stringify(instructionConfig)}` };
    }
    const costSchedule = optionalField(spec, 'cost_schedule') ?? 'Normal';
    if (costSchedule !== 'Normal' && costSchedule !== 'Free') {
        return { error: `${kind} subnet: unknown cost_schedule ${JSON.stringify(costSchedule)}` };
    }
    // dts_flag only changes how long messages are sliced over rounds; the engine runs them whole.
    return { ok: { kind, instructionConfig, costSchedule } };
}

/** True if any system canister is requested (`"DefaultConfig"`); an empty object asks for none. */
function requestsIcpFeatures(value: JsonValue | undefined): boolean {
    if (value === undefined) return false;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return true;
    return Object.values(value).some((feature) => feature !== null);
}
