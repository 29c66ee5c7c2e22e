/**
 * The orchestrator canister: workflow definitions, executions and their per-node state.
 * This file only composes the method classes; see docs/workflows.md for the API.
 */
import { AgentQueryMethods } from './agents';
import { CallPolicyMethods } from './call-policy';
import { ExecutionMethods } from './executions';
import { FundingMethods } from './funding';
import { LifecycleMethods } from './lifecycle';
import { PositionManagerApiMethods } from './liquidations';
import { OperationsMethods } from './operations';
import { PeerMethods } from './peer';
import { QuotaMethods } from './quotas';
import { WorkflowMethods } from './workflows';

export default [LifecycleMethods, WorkflowMethods, ExecutionMethods, PeerMethods, OperationsMethods, CallPolicyMethods, QuotaMethods, AgentQueryMethods, FundingMethods, PositionManagerApiMethods];
