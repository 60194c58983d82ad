using Dsh.Baselines;
using TorchSharp;
using static TorchSharp.torch;

namespace Dsh.Training;

/// <summary>The codes B_I [K, n_I] and B_S [K, n_S] (float32, ±1) a fresh training run starts from.</summary>
internal static class InitialCodes
{
    /// <summary>Category-code draws compared: the linear hash's default (<see cref="LinearHashOptions.CodeDraws"/>).</summary>
    public static int CategoryCodeDraws { get; } = new LinearHashOptions().CodeDraws;

    /// <summary>
    /// The codes of a network of <paramref name="members"/> members: each member's <paramref name="codeLength"/> / members
    /// rows drawn with its own seed (<see cref="SeedMixer.MemberSeed"/>), in member order; one member: <see cref="Create"/>.
    /// </summary>
    public static (Tensor PhotoCodes, Tensor SketchCodes) CreateForMembers(CodeInitialization initialization, int seed, int codeLength,
        int members, int classCount, int[] photoLabels, int[] sketchLabels)
    {
        if (members == 1)
        {
            return Create(initialization, seed, codeLength, classCount, photoLabels, sketchLabels);
        }
        using var scope = NewDisposeScope();
        var parts = Enumerable.Range(0, members)
            .Select(m => Create(initialization, SeedMixer.MemberSeed(seed, m), codeLength / members, classCount, photoLabels, sketchLabels))
            .ToList();
        return (cat(parts.Select(p => p.PhotoCodes).ToArray(), 0).MoveToOuterDisposeScope(),
            cat(parts.Select(p => p.SketchCodes).ToArray(), 0).MoveToOuterDisposeScope());
    }

    public static (Tensor PhotoCodes, Tensor SketchCodes) Create(CodeInitialization initialization, int seed, int codeLength,
        int classCount, int[] photoLabels, int[] sketchLabels)
    {
        using var scope = NewDisposeScope();
        if (initialization == CodeInitialization.CategoryCodes)
        {
            (Tensor codes, _) = CategoryCodes.Choose(classCount, codeLength, CategoryCodeDraws, new Random(SeedMixer.MixInt(seed, -2)));
            Tensor For(int[] labels) => codes.index_select(0, tensor(labels.Select(l => (long)l).ToArray())).T.to(ScalarType.Float32).contiguous();
            return (For(photoLabels).MoveToOuterDisposeScope(), For(sketchLabels).MoveToOuterDisposeScope());
        }
        using var generator = new Generator((ulong)SeedMixer.Mix(seed, -1));
        Tensor photoCodes = DshSolvers.RandomCodes(codeLength, photoLabels.Length, generator);
        Tensor sketchCodes = DshSolvers.RandomCodes(codeLength, sketchLabels.Length, generator);
        return (photoCodes.MoveToOuterDisposeScope(), sketchCodes.MoveToOuterDisposeScope());
    }
}
