namespace Dsh.Hashing;

/// <summary>The instruction sets a Hamming distance kernel can use.</summary>
public enum HammingKernelKind
{
    /// <summary><see cref="System.Numerics.BitOperations.PopCount(ulong)"/> a word (the POPCNT instruction where present); runs everywhere.</summary>
    Scalar = 0,

    /// <summary>256-bit vectors: nibble lookup with <c>Avx2.Shuffle</c> and <c>SumAbsoluteDifferences</c>.</summary>
    Avx2 = 1,

    /// <summary>512-bit vectors: the same lookup with AVX-512BW.</summary>
    Avx512 = 2,
}
