namespace Dsh.Hashing;

/// <summary>Placeholder: multi-index hashing (being written).</summary>
public sealed class MultiIndexHashIndex
{
    /// <summary>Creates an empty index.</summary>
    /// <param name="bits">Code length.</param>
    public MultiIndexHashIndex(int bits) => throw new NotImplementedException(bits.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
