using Dsh.Hashing;

namespace Dsh.Orleans.Serialization;

/// <summary>How a <see cref="BinaryCode"/> travels between Orleans clients and silos: its length and packed words.</summary>
[GenerateSerializer]
[Alias("dsh.code")]
public struct BinaryCodeSurrogate
{
    /// <summary>The code length in bits.</summary>
    [Id(0)] public int CodeLength;

    /// <summary>The packed words (<see cref="BinaryCode.WordsFor"/> of them).</summary>
    [Id(1)] public ulong[] Words;
}

/// <summary>Converts <see cref="BinaryCode"/> to and from <see cref="BinaryCodeSurrogate"/> for the Orleans serializer.</summary>
[RegisterConverter]
public sealed class BinaryCodeSurrogateConverter : IConverter<BinaryCode, BinaryCodeSurrogate>
{
    /// <inheritdoc />
    public BinaryCode ConvertFromSurrogate(in BinaryCodeSurrogate surrogate) => BinaryCode.FromWords(surrogate.Words, surrogate.CodeLength);

    /// <inheritdoc />
    public BinaryCodeSurrogate ConvertToSurrogate(in BinaryCode value) => new() { CodeLength = value.CodeLength, Words = value.Words.ToArray() };
}
