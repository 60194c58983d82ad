using Dsh.Training;
using TorchSharp;

namespace Dsh.Tests.Support;

/// <summary>
/// Counts, with TorchSharp's per-thread dispose-scope statistics, the tensors made outside any <c>DisposeScope</c>:
/// while an action runs (<see cref="TensorsMadeOutsideScopes"/>), or during training from the first network step's
/// report to the last report (use the probe as the trainer's progress; the trainer reports from the thread it trains
/// on, which the probe checks). A tensor outside a scope is held only by the managed stack, and TorchSharp reads a
/// tensor's native handle without keeping the managed object reachable: a garbage collection on another thread could
/// finalize it during the very call that reads it (see <c>Dsh.Native.HeldScalars</c>).
/// </summary>
internal sealed class DisposeScopeProbe : IProgress<DshProgress>
{
    private int? _thread;

    /// <summary>Reports after the first network step's.</summary>
    public int Reports { get; private set; }

    /// <summary>Tensors made outside a scope since the first network step's report.</summary>
    public long MadeOutsideScopes { get; private set; }

    /// <summary>Tensors made inside a scope since the first network step's report (above 0, or the probe saw nothing).</summary>
    public long MadeInScopes { get; private set; }

    /// <summary>(outside, inside): the tensors <paramref name="action"/> makes on this thread outside and inside scopes.</summary>
    public static (long Outside, long Inside) TensorsMadeOutsideScopes(Action action)
    {
        var statistics = DisposeScopeManager.Statistics;
        statistics.Reset();
        action();
        return (statistics.CreatedOutsideScopeCount, statistics.CreatedInScopeCount);
    }

    public void Report(DshProgress value)
    {
        var statistics = DisposeScopeManager.Statistics;
        if (_thread is null)
        {
            if (value.Phase == TrainingPhase.NetworkStep)
            {
                _thread = Environment.CurrentManagedThreadId;
                statistics.Reset();
            }
            return;
        }
        Assert.Equal(_thread, Environment.CurrentManagedThreadId);
        Reports++;
        MadeOutsideScopes = statistics.CreatedOutsideScopeCount;
        MadeInScopes = statistics.CreatedInScopeCount;
    }
}
