using Dsh.Native;
using static TorchSharp.torch;

namespace Dsh.Baselines;

/// <summary>
/// Ridge regression with an unpenalised bias, solved on centered data: W = (XcᵀXc + λI)⁻¹ Xcᵀ Y with
/// Xc = X − μ, λ = α·tr(XcᵀXc)/d, and the bias ȳ (the mean target), so that ŷ(x) = (x − μ) W + ȳ.
/// </summary>
internal sealed record RidgeRegression(double[] Mean, double[] Weights, double[] Bias, double Lambda, int InputDimensions, int OutputDimensions)
{
    /// <summary>Fits float64 inputs [n, d] onto targets [n, K] by a Cholesky solve of the d×d normal equations.</summary>
    /// <exception cref="ArgumentException">The inputs are all equal (nothing to regress on).</exception>
    public static RidgeRegression Fit(Tensor x, Tensor y, double alpha, string paramName)
    {
        using var scope = NewDisposeScope();
        long d = x.shape[1];
        Tensor mean = x.mean(new long[] { 0 }, keepdim: true);
        Tensor centered = x.sub(mean);
        Tensor gram = centered.T.matmul(centered);
        double trace = gram.trace().item<double>();
        if (!(trace > 0))
        {
            throw new ArgumentException($"{paramName}: every row is the same, so there is nothing to regress on.", paramName);
        }
        double lambda = alpha * trace / d;
        Tensor system = gram.Plus(eye(d, dtype: ScalarType.Float64).Times(lambda));
        system = system.Plus(system.T).Times(0.5);
        Tensor weights = cholesky_solve(centered.T.matmul(y), linalg.cholesky(system));
        Tensor bias = y.mean(new long[] { 0 });
        return new RidgeRegression(FeatureMatrix.ToArray(mean), FeatureMatrix.ToArray(weights), FeatureMatrix.ToArray(bias),
            lambda, (int)d, (int)y.shape[1]);
    }

    /// <summary>ŷ = (x − μ) W + ȳ for float64 inputs [N, d], in the caller's dispose scope.</summary>
    public Tensor Predict(Tensor x) =>
        x.sub(FeatureMatrix.FromArray(Mean, 1, InputDimensions))
            .matmul(FeatureMatrix.FromArray(Weights, InputDimensions, OutputDimensions))
            .Plus(FeatureMatrix.FromArray(Bias, 1, OutputDimensions));
}
