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

    /// <summary>
    /// Bit-sliced: codes also kept transposed in blocks of 512 (one 512-bit plane a bit position), counted
    /// with <c>vpternlog</c> carry-save adders, 512 codes at a time (AVX-512F). The fastest kernel of
    /// <see cref="HammingIndex"/>; it costs a second copy of the codes (see docs/indexing.md).
    /// </summary>
    BitSliced = 3,
}
