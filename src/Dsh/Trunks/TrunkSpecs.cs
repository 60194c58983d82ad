using System.Collections.Concurrent;
using System.Text.Json.Serialization;
using System.Text.Json;

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

/// <summary>Writes a trunk spec as <c>{"Kind": …, its properties}</c> and reads it back through <see cref="TrunkSpecs"/>.</summary>
internal sealed class TrunkSpecJsonConverter : JsonConverter<TrunkSpec>
{
    /// <summary>The properties <see cref="TrunkSpec"/> marks <c>[JsonIgnore]</c>: never written, whatever a spec overrides.</summary>
    private static readonly HashSet<string> BaseOnly = typeof(TrunkSpec).GetProperties()
        .Where(p => p.IsDefined(typeof(JsonIgnoreAttribute), inherit: false))
        .Select(p => p.Name)
        .ToHashSet(StringComparer.Ordinal);

    public override TrunkSpec? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using JsonDocument document = JsonDocument.ParseValue(ref reader);
        JsonElement element = document.RootElement;
        if (element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(nameof(TrunkSpec.Kind), out JsonElement kindElement)
            || kindElement.ValueKind != JsonValueKind.String)
        {
            throw new JsonException("A trunk spec must be an object with a \"Kind\".");
        }
        string kind = kindElement.GetString()!;
        Type type = TrunkSpecs.Find(kind) ?? throw new JsonException(
            $"Unknown trunk kind '{kind}' (known: {string.Join(", ", TrunkSpecs.Kinds)}); a spec defined outside Dsh must be " +
            $"registered with TrunkSpecs.Register<T>() before the file is read.");
        return (TrunkSpec?)element.Deserialize(type, options);
    }

    public override void Write(Utf8JsonWriter writer, TrunkSpec value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString(nameof(TrunkSpec.Kind), value.Kind);
        using JsonDocument properties = JsonSerializer.SerializeToDocument(value, value.GetType(), options);
        foreach (JsonProperty property in properties.RootElement.EnumerateObject())
        {
            if (BaseOnly.Contains(property.Name))
            {
                continue; // written above, or computed (an override does not inherit the base's [JsonIgnore])
            }
            property.WriteTo(writer);
        }
        writer.WriteEndObject();
    }
}
