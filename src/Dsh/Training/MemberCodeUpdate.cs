using Dsh.Objective;
using static TorchSharp.torch;

namespace Dsh.Training;

/// <summary>
/// One epoch's code update (the D-, B_I- and B_S-steps) of a network of several members: each member's rows of the
/// codes, of D's columns and of the outputs F form their own problem, solved as a single network's would be, so every
/// member learns its own codes as a separately trained network does. With one member this is the single network's update.
/// </summary>
internal static class MemberCodeUpdate
{
    /// <summary>The updated codes [K, n_I] / [K, n_S] and D [d, K] (the members' rows and columns in order), their terms summed.</summary>
    public sealed record Result(Tensor PhotoCodes, Tensor SketchCodes, Tensor D, DshLossTerms Terms, long BitsChanged);

    /// <summary>Updates every member's block of codes in turn; tensors are created in the caller's dispose scope.</summary>
    public static Result Run(DshCodeProblem problem, Tensor photoCodes, Tensor sketchCodes, Tensor? photoOutputs, Tensor? sketchOutputs,
        DshObjectiveOptions objective, int members, CancellationToken cancellationToken)
    {
        if (members == 1)
        {
            return Solve(problem, photoCodes, sketchCodes, photoOutputs, sketchOutputs, objective, cancellationToken);
        }
        long bits = photoCodes.shape[0] / members;
        var parts = new List<Result>(members);
        for (int m = 0; m < members; m++)
        {
            Tensor Rows(Tensor t) => t.narrow(0, m * bits, bits);
            parts.Add(Solve(problem, Rows(photoCodes), Rows(sketchCodes), photoOutputs is null ? null : Rows(photoOutputs),
                sketchOutputs is null ? null : Rows(sketchOutputs), objective, cancellationToken));
        }
        DshLossTerms terms = parts.Select(p => p.Terms).Aggregate((a, b) => new DshLossTerms(
            a.Pairwise + b.Pairwise, a.PairwisePerPair + b.PairwisePerPair, a.SemanticPhoto + b.SemanticPhoto, a.SemanticSketch + b.SemanticSketch,
            a.DNorm + b.DNorm, a.QuantizationPhoto + b.QuantizationPhoto, a.QuantizationSketch + b.QuantizationSketch, a.Total + b.Total));
        return new Result(cat(parts.Select(p => p.PhotoCodes).ToArray(), 0), cat(parts.Select(p => p.SketchCodes).ToArray(), 0),
            cat(parts.Select(p => p.D).ToArray(), 1), terms, parts.Sum(p => p.BitsChanged));
    }

    private static Result Solve(DshCodeProblem problem, Tensor photoCodes, Tensor sketchCodes, Tensor? photoOutputs, Tensor? sketchOutputs,
        DshObjectiveOptions objective, CancellationToken cancellationToken)
    {
        Tensor d = DshSolvers.UpdateD(problem, photoCodes, sketchCodes, objective);
        var photoUpdate = DshSolvers.UpdatePhotoCodes(problem, photoCodes, sketchCodes, d, photoOutputs, objective, cancellationToken);
        var sketchUpdate = DshSolvers.UpdateSketchCodes(problem, sketchCodes, photoUpdate.Codes, d, sketchOutputs, objective, cancellationToken);
        DshLossTerms terms = DshObjective.Evaluate(problem, photoUpdate.Codes, sketchUpdate.Codes, d, photoOutputs, sketchOutputs, objective);
        return new Result(photoUpdate.Codes, sketchUpdate.Codes, d, terms, photoUpdate.BitsChanged + sketchUpdate.BitsChanged);
    }
}
