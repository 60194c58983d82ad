using System.Reflection;

namespace Dsh.Tests.Support;

/// <summary>
/// Every type a package's public surface mentions: public and protected members of its public types (parameters,
/// returns, properties, fields, events, base types, interfaces, generic arguments, nested types), so a test can refuse
/// types that come from another package.
/// </summary>
internal static class PublicApiTypes
{
    /// <summary>"Member: Type (Assembly)" for every mention of a type of another assembly that <paramref name="allowed"/> refuses.</summary>
    public static IReadOnlyList<string> Violations(Assembly assembly, Func<Type, bool> allowed)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        foreach (Type type in assembly.GetExportedTypes())
        {
            void Check(Type? used, string where)
            {
                foreach (Type t in Flatten(used))
                {
                    if (t.Assembly != assembly && !allowed(t))
                    {
                        found.Add($"{where}: {t.FullName ?? t.Name} ({t.Assembly.GetName().Name})");
                    }
                }
            }

            string name = type.FullName ?? type.Name;
            Check(type.BaseType, name + " (base)");
            foreach (Type i in type.GetInterfaces())
            {
                Check(i, name + " (interface)");
            }
            const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            foreach (MemberInfo member in type.GetMembers(all))
            {
                string where = $"{name}.{member.Name}";
                switch (member)
                {
                    case MethodBase method when method.IsPublic || method.IsFamily || method.IsFamilyOrAssembly:
                        if (method is MethodInfo m)
                        {
                            Check(m.ReturnType, where);
                        }
                        foreach (ParameterInfo p in method.GetParameters())
                        {
                            Check(p.ParameterType, where);
                        }
                        break;
                    case PropertyInfo property when Visible(property.GetMethod) || Visible(property.SetMethod):
                        Check(property.PropertyType, where);
                        break;
                    case FieldInfo field when field.IsPublic || field.IsFamily || field.IsFamilyOrAssembly:
                        Check(field.FieldType, where);
                        break;
                    case EventInfo e when Visible(e.AddMethod):
                        Check(e.EventHandlerType, where);
                        break;
                }
            }
        }
        return found.ToList();
    }

    private static bool Visible(MethodInfo? method) => method is not null && (method.IsPublic || method.IsFamily || method.IsFamilyOrAssembly);

    /// <summary>A type with its element type and generic arguments, recursively.</summary>
    private static IEnumerable<Type> Flatten(Type? type)
    {
        if (type is null || type.IsGenericParameter)
        {
            yield break;
        }
        if (type.HasElementType)
        {
            foreach (Type t in Flatten(type.GetElementType()))
            {
                yield return t;
            }
            yield break;
        }
        yield return type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        foreach (Type argument in type.IsGenericType ? type.GetGenericArguments() : [])
        {
            foreach (Type t in Flatten(argument))
            {
                yield return t;
            }
        }
    }

    /// <summary>
    /// The platform: an assembly of a .NET shared framework (Microsoft.NETCore.App, Microsoft.AspNetCore.App — what every
    /// app already has, in the version of its runtime), and Microsoft.Extensions' abstractions (DI, logging, options,
    /// hosting), which the ecosystem's libraries share. A NuGet package named System.* (System.Numerics.Tensors) is not.
    /// </summary>
    public static bool IsPlatform(Assembly assembly)
    {
        string name = assembly.GetName().Name ?? "";
        if (name.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal) && name.EndsWith(".Abstractions", StringComparison.Ordinal))
        {
            return true;
        }
        string? folder = Path.GetDirectoryName(assembly.Location);
        return folder is not null && folder.StartsWith(SharedFrameworks, StringComparison.Ordinal);
    }

    /// <summary>The "shared" folder of the running .NET (…/dotnet/shared/), which holds every installed shared framework.</summary>
    private static readonly string SharedFrameworks =
        Path.GetFullPath(Path.Combine(System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory(), "..", "..")) + Path.DirectorySeparatorChar;
}
