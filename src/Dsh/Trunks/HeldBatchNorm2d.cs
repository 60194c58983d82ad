using Dsh.Native;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Dsh.Trunks;

/// <summary>
/// Batch norm over [N, C, H, W], as TorchSharp's <c>BatchNorm2d</c> (the same parameters, buffers, state-dict keys
/// and results), except that in training mode it advances its batch counter with a scalar it holds until libtorch
/// has read it. TorchSharp's own module makes a <c>Scalar</c> for that call which a garbage collection on another
/// thread can free while libtorch still reads it (docs/native-loading.md). Use it in your own trunks where you would
/// use <c>nn.BatchNorm2d</c>.
/// </summary>
public sealed class HeldBatchNorm2d : BatchNorm
{
    /// <summary>A batch norm over <paramref name="features"/> channels: weight 1, bias 0, running mean 0 and variance 1.</summary>
    /// <param name="features">Channels (C of [N, C, H, W]).</param>
    /// <param name="eps">Added to the variance before its square root.</param>
    /// <param name="momentum">Weight of each training batch in the running statistics (0: they never move).</param>
    public HeldBatchNorm2d(long features, double eps = 1e-5, double momentum = 0.1)
        : base(features, eps, momentum, affine: true, track_running_stats: true, device: null, dtype: null, nameof(HeldBatchNorm2d))
    {
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        ValidateInputDimensions(input);
        double? averagingFactor = momentum;
        if (training && track_running_stats && num_batches_tracked is not null)
        {
            num_batches_tracked.IncrementInPlace();
            averagingFactor ??= 1.0 / num_batches_tracked.item<long>(); // no momentum: a cumulative average, as PyTorch's
        }
        bool useBatchStatistics = training || (running_mean is null && running_var is null);
        bool useRunningStatistics = !training || track_running_stats;
        return nn.functional.batch_norm(input, useRunningStatistics ? running_mean : null, useRunningStatistics ? running_var : null,
            weight, bias, useBatchStatistics, averagingFactor ?? 0.0, eps);
    }

    /// <inheritdoc />
    protected override void ValidateInputDimensions(Tensor input)
    {
        if (input.Dimensions != 4)
        {
            throw new ArgumentException($"Batch norm over channels takes [N, C, H, W] input, not {input.Dimensions}-dimensional.", nameof(input));
        }
    }
}
