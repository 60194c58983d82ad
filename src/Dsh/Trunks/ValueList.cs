using System.Collections;
using System.Text.Json.Serialization;
using System.Text.Json;

namespace Dsh.Trunks;

/// <summary>
/// An immutable list compared by its elements, so records holding one (trunk and head specs) get value equality from
/// the compiler. Converts from an array: <c>Channels = new[] { 64, 128, 128, 256, 256 }</c>. JSON: a plain array.
/// </summary>
/// <typeparam name="T">The element type (a value: numbers, in practice).</typeparam>
[JsonConverter(typeof(ValueListJsonConverterFactory))]
public sealed class ValueList<T> : IReadOnlyList<T>, IEquatable<ValueList<T>>
{
    private readonly T[] _items;

    /// <summary>A list of copies of <paramref name="items"/>.</summary>
    public ValueList(IEnumerable<T> items) => _items = (items ?? throw new ArgumentNullException(nameof(items))).ToArray();

    /// <summary>The empty list.</summary>
    public static ValueList<T> Empty { get; } = new([]);

    /// <inheritdoc />
    public T this[int index] => _items[index];

    /// <inheritdoc />
    public int Count => _items.Length;

    /// <summary>A list of copies of <paramref name="items"/>.</summary>
    public static implicit operator ValueList<T>(T[] items) => new(items);

    /// <inheritdoc />
    public bool Equals(ValueList<T>? other) => other is not null && _items.AsSpan().SequenceEqual(other._items);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ValueList<T> other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (T item in _items)
        {
            hash.Add(item);
        }
        return hash.ToHashCode();
    }

    /// <inheritdoc />
    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

    /// <inheritdoc />
    public override string ToString() => $"[{string.Join(", ", _items)}]";
}

/// <summary>Writes a <see cref="ValueList{T}"/> as a JSON array and reads one back.</summary>
internal sealed class ValueListJsonConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(ValueList<>);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Converter<>).MakeGenericType(typeToConvert.GetGenericArguments()[0]))!;

    private sealed class Converter<T> : JsonConverter<ValueList<T>>
    {
        public override ValueList<T>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            JsonSerializer.Deserialize<T[]>(ref reader, options) is { } items ? new ValueList<T>(items) : null;

        public override void Write(Utf8JsonWriter writer, ValueList<T> value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, value.ToArray(), options);
    }
}
