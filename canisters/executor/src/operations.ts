/** Operator endpoints: what an admin needs to see that the executor's outbox did not deliver. */
import { deadLetterMethods } from '../../common/outbox/dead-letter-methods';
import { deadLetters, deployment } from './state';
import * as runtime from './runtime';

export const OperationsMethods = deadLetterMethods(deadLetters, (caller) => deployment.isAdmin(caller), () => runtime.caller());
