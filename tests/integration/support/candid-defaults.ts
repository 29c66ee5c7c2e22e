/**
 * The smallest well-typed value of a Candid type: empty text, zero, `[]` for opt and vec, the
 * first case of a variant. The access matrix sends it to every method, so that what is checked
 * is who may call, not what a particular argument means.
 */
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';

export function defaultValue(type: IDL.Type, principal: Principal): unknown {
    if (type instanceof IDL.RecClass) {
        const inner = type.getType();
        if (inner === undefined) throw new Error('unfilled recursive Candid type');
        return defaultValue(inner, principal);
    }
    // A tuple is a record whose fields are numbered; its value is an array.
    if (type instanceof IDL.TupleClass) return type._fields.map(([, field]) => defaultValue(field, principal));
    if (type instanceof IDL.RecordClass) return Object.fromEntries(type._fields.map(([name, field]) => [name, defaultValue(field, principal)]));
    if (type instanceof IDL.VariantClass) {
        const first = type._fields[0];
        if (first === undefined) throw new Error('empty Candid variant');
        return { [first[0]]: defaultValue(first[1], principal) };
    }
    if (type instanceof IDL.OptClass) return [];
    if (type instanceof IDL.VecClass) return type._type instanceof IDL.FixedNatClass && type._type._bits === 8 ? new Uint8Array() : [];
    if (type instanceof IDL.TextClass) return '';
    if (type instanceof IDL.BoolClass) return false;
    if (type instanceof IDL.NullClass || type instanceof IDL.ReservedClass) return null;
    if (type instanceof IDL.NatClass || type instanceof IDL.IntClass) return 0n;
    if (type instanceof IDL.FixedNatClass || type instanceof IDL.FixedIntClass) return type._bits > 32 ? 0n : 0;
    if (type instanceof IDL.FloatClass) return 0;
    if (type instanceof IDL.PrincipalClass) return principal;
    throw new Error(`no default value for Candid type ${type.display()}`);
}

/** The arguments of a method, each its default value. */
export function defaultArgs(method: IDL.FuncClass, principal: Principal): unknown[] {
    return method.argTypes.map((t) => defaultValue(t, principal));
}
