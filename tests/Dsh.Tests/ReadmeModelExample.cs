using Dsh.Hashing;
using TorchSharp;
using static TorchSharp.torch;

namespace Dsh.Tests;

/// <summary>The model example of README.md, compiled and run by <see cref="ReadmeModelExampleTests"/>.</summary>
internal static class ReadmeModelExample
{
    public static (IReadOnlyList<Neighbor> Top, DshLossTerms Terms, float Loss) Run()
    {
        using var scope = NewDisposeScope();
        // model-example:start
        var architecture = DshArchitecture.Compact(codeLength: 64);  // or DshArchitecture.Paper(64): 200/227 px
        using var network = new DshNetwork(architecture);
        int s = architecture.SketchInputSize, p = architecture.PhotoInputSize;
        Tensor sketches = torch.rand(6, 3, s, s);
        Tensor photos = torch.rand(4, 3, p, p), tokens = torch.rand(4, 3, s, s);  // tokens: the photos' edge maps

        // Codes: eval mode, no gradients, bit = output > 0; straight into a Hamming index.
        BinaryCodeSet photoCodes = network.EncodePhotoCodes(photos, tokens);
        var index = new HammingIndex(architecture.CodeLength);
        index.AddRange(new long[] { 10, 11, 12, 13 }, photoCodes);
        IReadOnlyList<Neighbor> top = index.Search(network.EncodeSketchCodes(sketches)[0], k: 2);

        // One round of the alternating optimisation (matrices are m×n: one column per item).
        using var problem = new DshCodeProblem(
            photoLabels: torch.tensor(new long[] { 0, 1, 0, 1 }), sketchLabels: torch.tensor(new long[] { 0, 1, 1, 0, 0, 1 }),
            classVectors: torch.randn(300, 2));                        // one word vector per class, as columns
        Tensor bi = DshSolvers.RandomCodes(64, 4), bs = DshSolvers.RandomCodes(64, 6);
        Tensor fi = network.EncodePhoto(photos, tokens).T, fs = network.EncodeSketch(sketches).T;
        Tensor d = DshSolvers.UpdateD(problem, bi, bs);                                   // closed form
        bi = DshSolvers.UpdatePhotoCodes(problem, bi, bs, d, fi).Codes;                   // discrete, row by row
        bs = DshSolvers.UpdateSketchCodes(problem, bs, bi, d, fs).Codes;
        DshLossTerms terms = DshObjective.Evaluate(problem, bi, bs, d, fi, fs);          // every term, float64
        network.train();
        Tensor loss = DshObjective.RegressionLoss(network.ForwardSketch(sketches), bs.T)  // θ-step: regress onto codes
                    + DshObjective.RegressionLoss(network.ForwardPhoto(photos, tokens), bi.T);
        loss.backward();
        // model-example:end
        return (top, terms, loss.item<float>());
    }
}
