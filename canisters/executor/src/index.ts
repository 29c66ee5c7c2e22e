/**
 * The executor canister: runs node attempts keyed by (execution, node, attempt), with their
 * backoff and timeouts as timers whose state is in stable memory. This file only composes.
 */
import { AgentMethodsOfExecutor } from './agents';
import { ConditionReadMethods } from './condition-reads';
import { EmergencyMethods } from './emergency';
import { LifecycleMethods } from './lifecycle';
import { NodeAttemptMethods } from './node-attempts';
import { OperationsMethods } from './operations';

export default [LifecycleMethods, NodeAttemptMethods, EmergencyMethods, OperationsMethods, AgentMethodsOfExecutor, ConditionReadMethods];
