/**
 * The executor canister: runs node attempts keyed by (execution, node, attempt), with their
 * backoff and timeouts as timers whose state is in stable memory. This file only composes.
 */
import { AgentMethodsOfExecutor } from './agents';
import { ConditionReadMethods } from './condition-reads';
import { EmergencyMethods } from './emergency';
import { LifecycleMethods } from './lifecycle';
import { NodeAttemptMethods } from './node-attempts';
import { deadLetterMethods } from '../../common/outbox/dead-letter-methods';
import { deadLetters, deployment } from './state';
import * as runtime from './runtime';

/** `list_dead_letters`: reports not delivered. */
const OperationsMethods = deadLetterMethods(deadLetters, deployment, runtime.caller);

export default [LifecycleMethods, NodeAttemptMethods, EmergencyMethods, OperationsMethods, AgentMethodsOfExecutor, ConditionReadMethods];
