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

    public static void CodeLengthInRange(int codeLength, [CallerArgumentExpression(nameof(codeLength))] string? name = null)
    {
        if (codeLength < 1 || codeLength > BinaryCode.MaxCodeLength)
        {
            throw new ArgumentOutOfRangeException(name, codeLength, $"A code length must be between 1 and {BinaryCode.MaxCodeLength} bits; got {codeLength}.");
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

    public static void SameCodeLength(int expected, BinaryCode code, [CallerArgumentExpression(nameof(code))] string? name = null)
    {
        NotNull(code, name);
        if (code.CodeLength != expected)
        {
            throw new ArgumentException($"'{name}' has {code.CodeLength} bits but the index holds {expected}-bit codes.", name);
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowNull(string? name) => throw new ArgumentNullException(name);
}
