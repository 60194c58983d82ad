using System.Text.Json.Serialization;
using System.Text.Json;

namespace Dsh.Persistence;

/// <summary>The JSON settings of model and checkpoint headers (readable, enums by name).</summary>
internal static class DshJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Deserialize<T>(string json, string path)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, Options) ?? throw new InvalidDataException($"{path}: empty header.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: unreadable header ({e.Message}).", e);
        }
    }
}
