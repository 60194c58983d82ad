using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Dsh.Hashing.Internal;

/// <summary>Argument checks at the public boundary; each message names the argument.</summary>
internal static class Guard
{
    public static void NotNull([NotNull] object? value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (value is null)
        {
            ThrowNull(name);
        }
    }

    public static void BitsInRange(int bits, [CallerArgumentExpression(nameof(bits))] string? name = null)
    {
        if (bits < 1 || bits > BinaryCode.MaxCodeLength)
        {
            throw new ArgumentOutOfRangeException(name, bits, $"A code length must be between 1 and {BinaryCode.MaxCodeLength} bits; got {bits}.");
        }
    }

    public static void Positive(int value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (value <= 0)
        {
            throw new ArgumentOutOfRangeException(name, value, $"'{name}' must be greater than zero; got {value}.");
        }
    }

    public static void NotNegative(int value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (value < 0)
        {
            throw new ArgumentOutOfRangeException(name, value, $"'{name}' must not be negative; got {value}.");
        }
    }

    public static void SameBits(int expected, BinaryCode code, [CallerArgumentExpression(nameof(code))] string? name = null)
    {
        NotNull(code, name);
        if (code.Bits != expected)
        {
            throw new ArgumentException($"'{name}' has {code.Bits} bits but the index holds {expected}-bit codes.", name);
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowNull(string? name) => throw new ArgumentNullException(name);
}
