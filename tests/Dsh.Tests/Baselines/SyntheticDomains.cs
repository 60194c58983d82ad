using static TorchSharp.torch;

namespace Dsh.Tests.Baselines;

/// <summary>
/// Synthetic two-domain features: Gaussian clusters around one center per class; photos are center + noise, sketches
/// are (center · A) + shift + noise with A a fixed near-identity distortion and a constant shift (the domain gap).
/// </summary>
internal sealed class SyntheticDomains
{
    public required int ClassCount { get; init; }
    public required int Dimensions { get; init; }
    public double Separation { get; init; } = 1.0;
    public double Noise { get; init; } = 1.5;
    public double Distortion { get; init; } = 1.0;
    public double Shift { get; init; } = 1.0;
    public int Seed { get; init; } = 1;

    private double[,]? _centers;
    private double[,]? _distortion;
    private double[]? _shift;

    /// <summary>Sketch and photo features [perClass·C, d] float32 with labels 0,0,…,1,1,…; draws with <paramref name="seed"/>.</summary>
    public (Tensor Features, int[] Labels) Sketches(int perClass, int seed) => Draw(perClass, seed, sketch: true);

    /// <inheritdoc cref="Sketches"/>
    public (Tensor Features, int[] Labels) Photos(int perClass, int seed) => Draw(perClass, seed, sketch: false);

    private (Tensor, int[]) Draw(int perClass, int seed, bool sketch)
    {
        Build();
        var random = new Random(seed);
        int n = perClass * ClassCount, d = Dimensions;
        var values = new float[n * d];
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            int c = labels[i] = i / perClass;
            for (int j = 0; j < d; j++)
            {
                double v;
                if (sketch)
                {
                    v = _shift![j];
                    for (int m = 0; m < d; m++)
                    {
                        v += _centers![c, m] * _distortion![m, j];
                    }
                }
                else
                {
                    v = _centers![c, j];
                }
                values[i * d + j] = (float)(v + Noise * Normal(random));
            }
        }
        return (tensor(values, new long[] { n, d }), labels);
    }

    private void Build()
    {
        if (_centers != null)
        {
            return;
        }
        var random = new Random(Seed);
        int d = Dimensions;
        _centers = new double[ClassCount, d];
        for (int c = 0; c < ClassCount; c++)
        {
            for (int j = 0; j < d; j++)
            {
                _centers[c, j] = Separation * Normal(random);
            }
        }
        _distortion = new double[d, d];
        for (int m = 0; m < d; m++)
        {
            for (int j = 0; j < d; j++)
            {
                _distortion[m, j] = (m == j ? 1 : 0) + Distortion * Normal(random) / Math.Sqrt(d);
            }
        }
        _shift = new double[d];
        for (int j = 0; j < d; j++)
        {
            _shift[j] = Shift * Separation * Normal(random); // ‖shift‖ ≈ Shift · ‖a center‖
        }
    }

    internal static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
