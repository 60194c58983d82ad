using Dsh.Objective;
using TorchSharp;
using static TorchSharp.torch;

namespace Dsh.Tests.Objective;

/// <summary>A small random DSH problem plus a dense reference evaluation that forms W and Φ explicitly.</summary>
internal sealed class RandomProblem : IDisposable
{
    public RandomProblem(int seed, int m = 0, int nI = 0, int nS = 0, int classes = 0, int dim = 0, bool balancePhotoClasses = false)
    {
        var random = new Random(seed);
        var g = new torch.Generator((ulong)seed);
        M = m > 0 ? m : random.Next(3, 17);
        int photos = nI > 0 ? nI : random.Next(3, 31);
        int sketches = nS > 0 ? nS : random.Next(3, 31);
        int c = classes > 0 ? classes : random.Next(2, 6);
        int d = dim > 0 ? dim : random.Next(1, 7);
        Problem = new DshCodeProblem(
            torch.randint(0, c, new long[] { photos }, generator: g),
            torch.randint(0, c, new long[] { sketches }, generator: g),
            torch.randn(new long[] { d, c }, ScalarType.Float64, generator: g));
        PhotoCodes = DshSolvers.RandomCodes(M, photos, g).to(ScalarType.Float64);
        SketchCodes = DshSolvers.RandomCodes(M, sketches, g).to(ScalarType.Float64);
        D = torch.randn(new long[] { d, M }, ScalarType.Float64, generator: g);
        PhotoOutputs = torch.randn(new long[] { M, photos }, ScalarType.Float64, generator: g).mul(1.5);
        SketchOutputs = torch.randn(new long[] { M, sketches }, ScalarType.Float64, generator: g).mul(1.5);
        Options = (seed % 3) switch
        {
            0 => new DshObjectiveOptions(),
            1 => new DshObjectiveOptions { Lambda = 0.5, Gamma = 0.3, DRegularization = 0.1 },
            _ => new DshObjectiveOptions { Lambda = 2.0, Gamma = 5.0, DRegularization = 0.0 },
        } with
        {
            // The paper's W, the simplex target −1/(c − 1) and unrelated codes, each with every weight set above.
            DissimilarPairTarget = (seed / 3 % 3) switch { 0 => -1.0, 1 => null, _ => 0.0 },
            // Every pair weighs 1 (the paper's W) unless asked: BalancedPhotoClassesTests turn the weights on.
            BalancePhotoClasses = balancePhotoClasses,
        };
    }

    public int M { get; }
    public DshCodeProblem Problem { get; }
    public Tensor PhotoCodes { get; set; }
    public Tensor SketchCodes { get; set; }
    public Tensor D { get; set; }
    public Tensor PhotoOutputs { get; }
    public Tensor SketchOutputs { get; }
    public DshObjectiveOptions Options { get; init; }

    public DshLossTerms Evaluate() =>
        DshObjective.Evaluate(Problem, PhotoCodes, SketchCodes, D, PhotoOutputs, SketchOutputs, Options);

    public double Total(Tensor photoCodes, Tensor sketchCodes) =>
        DshObjective.Evaluate(Problem, photoCodes, sketchCodes, D, PhotoOutputs, SketchOutputs, Options).Total;

    /// <summary>The same terms computed the obvious way: dense W (n_I×n_S) and Φ (d×n).</summary>
    public DshLossTerms DenseReference()
    {
        using var scope = NewDisposeScope();
        Tensor yi = nn.functional.one_hot(Problem.PhotoLabels, Problem.ClassCount).T.to(ScalarType.Float64);
        Tensor ys = nn.functional.one_hot(Problem.SketchLabels, Problem.ClassCount).T.to(ScalarType.Float64);
        double dissimilar = Options.DissimilarTargetFor(Problem.ClassCount);
        Tensor same = yi.T.matmul(ys);
        Tensor w = same.add(same.neg().add(1).mul(dissimilar));          // 1 for a pair of one class, the target otherwise
        Tensor phiI = Problem.ClassVectors.matmul(yi);
        Tensor phiS = Problem.ClassVectors.matmul(ys);
        Tensor pairWeights = Options.BalancePhotoClasses
            ? BalancedWeights(Problem.PhotoLabels).unsqueeze(1).expand(w.shape)
            : torch.ones_like(w);
        double pairwise = PhotoCodes.T.matmul(SketchCodes).sub(w.mul(M)).square().mul(pairWeights).sum().item<double>();
        double semI = phiI.sub(D.matmul(PhotoCodes)).square().sum().item<double>();
        double semS = phiS.sub(D.matmul(SketchCodes)).square().sum().item<double>();
        double dNorm = D.square().sum().item<double>();
        double qI = PhotoOutputs.sub(PhotoCodes).square().sum().item<double>();
        double qS = SketchOutputs.sub(SketchCodes).square().sum().item<double>();
        double total = pairwise + Options.Lambda * (semI + semS) + Options.DRegularization * dNorm + Options.Gamma * (qI + qS);
        return new DshLossTerms(pairwise, pairwise / (Problem.PhotoCount * Problem.SketchCount), semI, semS, dNorm, qI, qS, total);
    }

    /// <summary>n / (classes present · items of the item's class), counted item by item.</summary>
    public static Tensor BalancedWeights(Tensor labels)
    {
        long[] values = labels.data<long>().ToArray();
        var counts = values.GroupBy(v => v).ToDictionary(g => g.Key, g => g.Count());
        return torch.tensor(values.Select(v => values.Length / (double)(counts.Count * counts[v])).ToArray(), ScalarType.Float64);
    }

    public void Dispose() => Problem.Dispose();
}
