using System.Collections.Concurrent;

namespace Dsh.Trunks;

/// <summary>
/// The trunk specs model files may name, by <see cref="TrunkSpec.Kind"/>. The library's own are always known; a spec
/// defined elsewhere is registered by <see cref="Register{TSpec}"/> (once, before loading a model file that uses it; a
/// spec that a network was built from in this process is registered already). Only registered types are ever
/// instantiated from a file.
/// </summary>
public static class TrunkSpecs
{
    private static readonly ConcurrentDictionary<string, Type> ByKind = new(StringComparer.Ordinal);

    /// <summary>Registers <typeparamref name="TSpec"/> under its <see cref="TrunkSpec.Kind"/>; registering it again does nothing.</summary>
    /// <exception cref="ArgumentException">Another type is registered under the same kind.</exception>
    public static void Register<TSpec>() where TSpec : TrunkSpec, new() => Register(new TSpec());

    /// <summary>Registers the type of <paramref name="spec"/> under its <see cref="TrunkSpec.Kind"/>.</summary>
    /// <exception cref="ArgumentException">The kind is blank, or another type is registered under it.</exception>
    internal static void Register(TrunkSpec spec)
    {
        string kind = spec.Kind;
        if (string.IsNullOrWhiteSpace(kind))
        {
            throw new ArgumentException($"{spec.GetType().Name}.Kind must be a non-blank name.", nameof(spec));
        }
        Type type = spec.GetType();
        Type registered = ByKind.GetOrAdd(kind, type);
        if (registered != type)
        {
            throw new ArgumentException(
                $"The trunk kind '{kind}' is already registered for {registered.FullName}; {type.FullName} needs another {nameof(TrunkSpec.Kind)}.", nameof(spec));
        }
    }

    /// <summary>The registered kinds.</summary>
    public static IReadOnlyCollection<string> Kinds => ByKind.Keys.Order(StringComparer.Ordinal).ToArray();

    /// <summary>The spec type registered under <paramref name="kind"/>, or null.</summary>
    public static Type? Find(string kind) => ByKind.TryGetValue(kind, out Type? type) ? type : null;
}
