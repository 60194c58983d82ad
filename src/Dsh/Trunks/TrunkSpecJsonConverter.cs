using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dsh.Trunks;

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
