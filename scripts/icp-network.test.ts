import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { IC_NETWORK, networkOfYaml } from './icp-network';

describe('networkOfYaml', () => {
    const project = readFileSync(resolve(__dirname, '..', 'icp.yaml'), 'utf8');

    it("answers the project's deflow-local environment as npm start's URL with a fetched root key", () => {
        expect(networkOfYaml(project, 'deflow-local')).toEqual({ url: 'http://127.0.0.1:4943', fetchRootKey: true });
    });

    it('answers the mainnet for the ic network, which needs no entry', () => {
        expect(networkOfYaml(project, 'ic')).toEqual(IC_NETWORK);
    });

    it('refuses an unknown environment and a network without a url, naming them', () => {
        expect(() => networkOfYaml(project, 'staging')).toThrow('icp.yaml has no environment staging');
        expect(() => networkOfYaml('networks: [{ name: n, mode: managed }]\nenvironments: [{ name: e, network: n }]', 'e')).toThrow('network n has no url');
        expect(() => networkOfYaml('environments: [{ name: e, network: other }]', 'e')).toThrow('names network other');
    });
});
