using System.Collections.ObjectModel;
using System.Reflection;

namespace Dsh.Tests.Layering;

/// <summary>Type <paramref name="User"/> names type <paramref name="Used"/> (a type definition); <paramref name="Via"/> says where.</summary>
internal readonly record struct TypeUse(Type User, Type Used, string Via);

/// <summary>
/// The types one type names: its base type, its own interfaces, generic arguments and constraints, custom attributes
/// (with their <c>typeof</c> arguments), field, property and event types, method and constructor signatures, locals,
/// catch clauses, and the types, methods and fields its method bodies' IL refers to (their declaring types and generic
/// arguments). Constructed types are split into their definitions and arguments; arrays, pointers and by-refs into
/// their element types. Generic parameters name nothing.
/// </summary>
internal static class TypeDependencies
{
    private const BindingFlags Declared =
        BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    /// <summary>Every type definition <paramref name="type"/> names, in any assembly, with where it is named.</summary>
    /// <param name="type">A type definition (not constructed).</param>
    public static List<TypeUse> Of(Type type)
    {
        var uses = new List<TypeUse>();
        void Add(Type? used, string via)
        {
            foreach (Type part in Parts(used))
            {
                uses.Add(new TypeUse(type, part, via));
            }
        }

        Add(type.BaseType, "base type");
        Type[] inherited = type.BaseType?.GetInterfaces() ?? [];
        foreach (Type implemented in type.GetInterfaces().Except(inherited))
        {
            Add(implemented, "interface");
        }
        if (type.IsGenericTypeDefinition)
        {
            AddConstraints(type.GetGenericArguments(), "type parameter constraint", Add);
        }
        AddAttributes(type.GetCustomAttributesData(), "attribute on the type", Add);

        foreach (FieldInfo field in type.GetFields(Declared))
        {
            Add(field.FieldType, $"field {field.Name}");
            AddAttributes(field.GetCustomAttributesData(), $"attribute on field {field.Name}", Add);
        }
        foreach (PropertyInfo property in type.GetProperties(Declared))
        {
            Add(property.PropertyType, $"property {property.Name}");
            foreach (ParameterInfo index in property.GetIndexParameters())
            {
                Add(index.ParameterType, $"indexer {property.Name}");
            }
            AddAttributes(property.GetCustomAttributesData(), $"attribute on property {property.Name}", Add);
        }
        foreach (EventInfo e in type.GetEvents(Declared))
        {
            Add(e.EventHandlerType, $"event {e.Name}");
            AddAttributes(e.GetCustomAttributesData(), $"attribute on event {e.Name}", Add);
        }
        foreach (MethodBase method in type.GetConstructors(Declared).Cast<MethodBase>().Concat(type.GetMethods(Declared)))
        {
            AddMethod(type, method, Add);
        }
        return uses;
    }

    /// <summary>The type definitions a type reference is made of.</summary>
    public static IEnumerable<Type> Parts(Type? type)
    {
        if (type == null || type.IsGenericParameter)
        {
            yield break;
        }
        if (type.HasElementType)
        {
            foreach (Type part in Parts(type.GetElementType()))
            {
                yield return part;
            }
            yield break;
        }
        if (type.IsFunctionPointer)
        {
            foreach (Type part in type.GetFunctionPointerParameterTypes().Append(type.GetFunctionPointerReturnType()).SelectMany(Parts))
            {
                yield return part;
            }
            yield break;
        }
        if (type.IsConstructedGenericType)
        {
            yield return type.GetGenericTypeDefinition();
            foreach (Type part in type.GenericTypeArguments.SelectMany(Parts))
            {
                yield return part;
            }
            yield break;
        }
        yield return type;
    }

    private static void AddMethod(Type type, MethodBase method, Action<Type?, string> add)
    {
        string name = method.Name;
        AddAttributes(method.GetCustomAttributesData(), $"attribute on {name}", add);
        if (method is MethodInfo info)
        {
            add(info.ReturnType, $"signature of {name}");
            AddAttributes(info.ReturnParameter.GetCustomAttributesData(), $"attribute on {name}'s return", add);
            if (info.IsGenericMethodDefinition)
            {
                AddConstraints(info.GetGenericArguments(), $"constraint of {name}", add);
            }
        }
        foreach (ParameterInfo parameter in method.GetParameters())
        {
            add(parameter.ParameterType, $"signature of {name}");
            AddAttributes(parameter.GetCustomAttributesData(), $"attribute on a parameter of {name}", add);
        }

        MethodBody? body = method.GetMethodBody();
        if (body == null)
        {
            return;
        }
        foreach (LocalVariableInfo local in body.LocalVariables)
        {
            add(local.LocalType, $"local in {name}");
        }
        foreach (ExceptionHandlingClause clause in body.ExceptionHandlingClauses)
        {
            if (clause.Flags == ExceptionHandlingClauseOptions.Clause)
            {
                add(clause.CatchType, $"catch in {name}");
            }
        }

        byte[]? il = body.GetILAsByteArray();
        if (il == null)
        {
            return;
        }
        Type[]? typeArguments = type.IsGenericType ? type.GetGenericArguments() : null;
        Type[]? methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        foreach (IlToken token in IlTokens.Read(il))
        {
            string via = $"IL of {name} ({token.OpCode.Name})";
            MemberInfo member;
            try
            {
                member = method.Module.ResolveMember(token.Token, typeArguments, methodArguments)
                    ?? throw new InvalidOperationException("resolved to null");
            }
            catch (Exception e) when (e is ArgumentException or BadImageFormatException or InvalidOperationException)
            {
                throw new InvalidOperationException(
                    $"Cannot resolve token 0x{token.Token:X8} of {token.OpCode.Name} at IL_{token.Offset:X4} in {type.FullName}.{name}: {e.Message}", e);
            }
            switch (member)
            {
                case Type referenced:
                    add(referenced, via);
                    break;
                case MethodBase called:
                    add(called.DeclaringType, via);
                    if (called.IsGenericMethod && !called.IsGenericMethodDefinition)
                    {
                        foreach (Type argument in called.GetGenericArguments())
                        {
                            add(argument, via);
                        }
                    }
                    break;
                case FieldInfo field:
                    add(field.DeclaringType, via);
                    break;
            }
        }
    }

    private static void AddConstraints(Type[] parameters, string via, Action<Type?, string> add)
    {
        foreach (Type parameter in parameters)
        {
            foreach (Type constraint in parameter.GetGenericParameterConstraints())
            {
                add(constraint, via);
            }
        }
    }

    private static void AddAttributes(IEnumerable<CustomAttributeData> attributes, string via, Action<Type?, string> add)
    {
        foreach (CustomAttributeData attribute in attributes)
        {
            add(attribute.AttributeType, via);
            foreach (CustomAttributeTypedArgument argument in attribute.ConstructorArguments.Concat(attribute.NamedArguments.Select(n => n.TypedValue)))
            {
                AddArgument(argument, via, add);
            }
        }
    }

    private static void AddArgument(CustomAttributeTypedArgument argument, string via, Action<Type?, string> add)
    {
        add(argument.ArgumentType, via);
        switch (argument.Value)
        {
            case Type typeOf:
                add(typeOf, via);
                break;
            case ReadOnlyCollection<CustomAttributeTypedArgument> elements:
                foreach (CustomAttributeTypedArgument element in elements)
                {
                    AddArgument(element, via, add);
                }
                break;
        }
    }
}
