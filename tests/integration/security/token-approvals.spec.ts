/**
 * Security > token approvals: an ICRC-2 approval an owner gives DeFlow is an approval to that
 * owner's agent, so only that owner's workflows can spend it. Owner A approves A's agent on
 * the demo token; owner B's workflow tries `icrc2_transfer_from` on A's account and the token
 * refuses it (B's agent has no allowance), nothing moves; A's workflow spends the approval.
 */
import { IDL } from '@dfinity/candid';
import { createIdentity, type Actor } from '@dfinity/pic';
import type { Principal } from '@dfinity/principal';

import { demoTokenIdlFactory, demoTokenMethods, type Account, type DemoTokenService } from '../../../canisters/demo/token/src/interface';
import { builtWasm } from '../../../cli/deploy';
import { NO_RETRY, encodeWorkflowDefinition, orchestratorIdlFactory, type WorkflowDefinitionWire } from '../../../shared/workflow';
import { node } from '../../../shared/workflow/testing';
import { runOnce } from '../support/agents';
import { deflowActor } from '../support/deflow';
import { nodeOf, okOf, readyAgentOf, statusOf, type OrchestratorService, useWorkflowEnv } from '../support/workflows';

jest.setTimeout(240_000);

const M = demoTokenMethods(IDL);
const FEE = 10n;
const account = (owner: Principal): Account => ({ owner, subaccount: [] });

/** One `icrc2_transfer_from` of `amount` from `from` to `to`, no retries: the execution stops on a refusal. */
function pullDefinition(token: Principal, from: Principal, to: Principal, amount: bigint): WorkflowDefinitionWire {
    const args = IDL.encode([M.TransferFromArgs], [{ spender_subaccount: [], from: account(from), to: account(to), amount, fee: [], memo: [], created_at_time: [] }]);
    return encodeWorkflowDefinition({
        name: 'pull tokens',
        description: '',
        nodes: [
            node('pull', {
                config: { kind: 'Call', canister: token.toText(), method: 'icrc2_transfer_from', args: { kind: 'Raw', bytes: new Uint8Array(args) }, cycles: 0n, reply: { kind: 'Candid', types: `(${M.TransferFromResult.display()})` } },
                recovery: { retry: NO_RETRY, fallback: { kind: 'StopExecution' }, emergencyActions: [] }
            })
        ]
    });
}

describe('Security > token approvals', () => {
    const env = useWorkflowEnv();
    const minter = createIdentity('token-minter');
    let token: Actor<DemoTokenService>;
    let tokenId: Principal;
    let asB: Actor<OrchestratorService>;
    let agentA: Principal;
    let agentB: Principal;
    let ownerA: Principal;
    let ownerB: Principal;

    beforeAll(async () => {
        ownerA = env.owner.getPrincipal();
        ownerB = env.stranger.getPrincipal();
        asB = deflowActor<OrchestratorService>(env.pic, env.deployment, 'orchestrator', orchestratorIdlFactory as unknown as IDL.InterfaceFactory, env.stranger);
        const fixture = await env.pic.setupCanister<DemoTokenService>({ idlFactory: demoTokenIdlFactory as never, wasm: builtWasm('demo_token'), sender: minter.getPrincipal() });
        token = fixture.actor;
        tokenId = fixture.canisterId;
        token.setIdentity(minter);
        okOf(await token.mint(account(ownerA), 1_000n));
        // Each owner's first workflow creates its agent.
        okOf(await env.orchestrator.create_workflow(pullDefinition(tokenId, ownerA, ownerA, 1n)));
        okOf(await asB.create_workflow(pullDefinition(tokenId, ownerA, ownerB, 1n)));
        agentA = await readyAgentOf(env, env.orchestrator);
        agentB = await readyAgentOf(env, asB);
    });

    it('only the controller mints', async () => {
        token.setIdentity(env.stranger);
        expect(await token.mint(account(ownerB), 1n)).toEqual({ Err: 'mint: controllers only' });
        expect(await token.icrc1_balance_of(account(ownerB))).toBe(0n);
    });

    it("owner A approves A's agent; owner B's workflow cannot spend it and nothing moves", async () => {
        token.setIdentity(env.owner);
        okOf(await token.icrc2_approve({ from_subaccount: [], spender: account(agentA), amount: 500n, expected_allowance: [], expires_at: [], fee: [], memo: [], created_at_time: [] }));
        expect((await token.icrc2_allowance({ account: account(ownerA), spender: account(agentA) })).allowance).toBe(500n);
        expect((await token.icrc2_allowance({ account: account(ownerA), spender: account(agentB) })).allowance).toBe(0n);

        const theirs = await runOnce(env, asB, pullDefinition(tokenId, ownerA, ownerB, 100n));
        expect(statusOf(theirs)).toBe('Failed');
        const error = nodeOf(theirs, 'pull').error[0];
        expect(error?.kind).toEqual({ ReplyErr: null });
        expect(error?.detail).toEqual(['InsufficientAllowance']);
        expect(error?.value).toEqual([JSON.stringify({ InsufficientAllowance: { allowance: 0 } })]);
        expect(await token.icrc1_balance_of(account(ownerA))).toBe(1_000n - FEE);
        expect(await token.icrc1_balance_of(account(ownerB))).toBe(0n);
        expect((await token.icrc2_allowance({ account: account(ownerA), spender: account(agentA) })).allowance).toBe(500n);
    });

    it("owner A's workflow spends A's approval through A's agent", async () => {
        const mine = await runOnce(env, env.orchestrator, pullDefinition(tokenId, ownerA, agentA, 100n));
        expect(statusOf(mine)).toBe('Succeeded');
        expect(await token.icrc1_balance_of(account(ownerA))).toBe(1_000n - FEE - 100n - FEE);
        expect(await token.icrc1_balance_of(account(agentA))).toBe(100n);
        expect((await token.icrc2_allowance({ account: account(ownerA), spender: account(agentA) })).allowance).toBe(500n - 100n - FEE);
    });
});
