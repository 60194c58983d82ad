using Dsh.Native;
using static TorchSharp.torch;

namespace Dsh.Baselines;

/// <summary>One ±1 target code per category for <see cref="LinearSupervisedHasher"/>, chosen to be far apart.</summary>
internal static class CategoryCodes
{
    /// <summary>
    /// Draws <paramref name="draws"/> random C×K ±1 matrices and keeps the one whose minimum pairwise Hamming distance
    /// between rows is largest (the first on ties). Returns the codes [C, K] float64 and that distance (K when C = 1).
    /// </summary>
    public static (Tensor Codes, int MinimumDistance) Choose(int classCount, int codeLength, int draws, Random random)
    {
        using var scope = NewDisposeScope();
        Tensor? best = null;
        int bestDistance = -1;
        for (int i = 0; i < draws; i++)
        {
            Tensor codes = SeededMatrices.Signs(random, classCount, codeLength);
            int distance = MinimumDistance(codes);
            if (distance > bestDistance)
            {
                best = codes;
                bestDistance = distance;
            }
        }
        return (best!.MoveToOuterDisposeScope(), bestDistance);
    }

    /// <summary>Smallest Hamming distance between two different rows of ±1 codes [C, K]; K when C = 1.</summary>
    public static int MinimumDistance(Tensor codes)
    {
        using var scope = NewDisposeScope();
        long c = codes.shape[0], k = codes.shape[1];
        if (c < 2)
        {
            return (int)k;
        }
        Tensor distances = codes.matmul(codes.T).neg().Plus(k).DividedBy(2);                        // (K − ⟨a, b⟩) / 2
        distances = distances.Plus(eye(c, dtype: ScalarType.Float64).Times(k + 1));             // exclude the diagonal
        return (int)Math.Round(distances.min().item<double>());
    }
}
