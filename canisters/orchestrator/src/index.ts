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
import { PeerMethods } from './peer';
import { QuotaMethods } from './quotas';
import { WorkflowMethods } from './workflows';
import { deadLetterMethods } from '../../common/outbox/dead-letter-methods';
import { deadLetters, deployment } from './state';
import * as runtime from './runtime';

/** `list_dead_letters`: outbox entries not delivered. */
const OperationsMethods = deadLetterMethods(deadLetters, deployment, runtime.caller);

export default [LifecycleMethods, WorkflowMethods, ExecutionMethods, PeerMethods, OperationsMethods, CallPolicyMethods, QuotaMethods, AgentQueryMethods, FundingMethods, PositionManagerApiMethods];
