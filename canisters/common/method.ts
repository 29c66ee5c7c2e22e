import { query, update } from 'azle';
import { candidOf, type ArgsOf, type MethodSpec, type ReturnOf } from '../../shared/common/codec';

/** What a canister method of `spec` must look like: the contract's argument and result types. */
type Handler<S extends MethodSpec, This> = (this: This, ...args: ArgsOf<S>) => ReturnOf<S> | Promise<ReturnOf<S>>;

/**
 * The one decorator of every DeFlow canister method: Candid argument and result types and the
 * call mode (query or update) all come from the contract's method table in `shared/`, the same
 * table the clients' `idlFactory` is built from, and the compiler checks the method's own
 * signature against the contract's types.
 *
 * @example
 * @method(OrchestratorMethods.create_workflow)
 * create_workflow(definition: WorkflowDefinitionWire): WorkflowResult { ... }
 */
export function method<S extends MethodSpec>(spec: S) {
    const [argTypes, returnType] = candidOf(spec);
    return function <This>(original: Handler<S, This>, context: ClassMethodDecoratorContext<This, Handler<S, This>>): void {
        if (spec.mode === 'query') query<This, ArgsOf<S>, ReturnOf<S> | Promise<ReturnOf<S>>>(argTypes, returnType)(original, context);
        else update<This, ArgsOf<S>, ReturnOf<S> | Promise<ReturnOf<S>>>(argTypes, returnType)(original, context);
    };
}
