import { c, type Infer, type MethodSpec } from './codec';

/** What `get_version` answers, so an upgrade drill can prove which code runs. */
export const VersionInfoCodec = c.record({
    canister: c.text,
    package_version: c.text,
    schema_version: c.nat32,
    canister_version: c.nat64,
    build_id: c.text
});
export type VersionInfo = Infer<typeof VersionInfoCodec>;

/** `get_version`, the same query on every DeFlow canister (the drill reads it from each). */
export const GetVersionMethod = { args: [], ret: VersionInfoCodec, mode: 'query' } as const satisfies MethodSpec;
