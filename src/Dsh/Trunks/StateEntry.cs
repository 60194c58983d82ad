using static TorchSharp.torch;

namespace Dsh.Trunks;

/// <summary>One tensor of a module's <c>state_dict</c>, known from a spec alone (before anything is built).</summary>
/// <param name="Name">The key (relative to the module that lists it, e.g. <c>conv1.weight</c>).</param>
/// <param name="Shape">The tensor's shape.</param>
/// <param name="ElementType">Float32 for weights and statistics, Int64 for batch counters.</param>
/// <param name="IsParameter">Whether it is a learnable parameter (a running statistic is not).</param>
public sealed record StateEntry(string Name, long[] Shape, ScalarType ElementType, bool IsParameter)
{
    /// <summary>Elements of the tensor.</summary>
    public long Elements => Shape.Aggregate(1L, (n, d) => checked(n * d));

    /// <summary>Bytes of the tensor's data.</summary>
    public long Bytes => checked(Elements * (ElementType is ScalarType.Int64 or ScalarType.Float64 ? 8L : 4L));

    /// <summary>The same entry under <paramref name="prefix"/> (e.g. <c>sketch_trunk.</c>).</summary>
    public StateEntry Prefixed(string prefix) => this with { Name = prefix + Name };

    /// <summary>The entries of TorchSharp's <c>Conv2d</c> (weight, then bias if it has one).</summary>
    public static IEnumerable<StateEntry> Conv2d(string name, long inPerGroup, long outChannels, long kernel, bool bias = true)
    {
        yield return new StateEntry(name + ".weight", [outChannels, inPerGroup, kernel, kernel], ScalarType.Float32, true);
        if (bias)
        {
            yield return new StateEntry(name + ".bias", [outChannels], ScalarType.Float32, true);
        }
    }

    /// <summary>The entries of TorchSharp's <c>Linear</c> (weight [outputs, inputs], bias).</summary>
    public static IEnumerable<StateEntry> Linear(string name, long inputs, long outputs)
    {
        yield return new StateEntry(name + ".weight", [outputs, inputs], ScalarType.Float32, true);
        yield return new StateEntry(name + ".bias", [outputs], ScalarType.Float32, true);
    }

    /// <summary>The entries of TorchSharp's <c>BatchNorm2d</c>: weight, bias, running mean and variance, batch counter.</summary>
    public static IEnumerable<StateEntry> BatchNorm2d(string name, long channels)
    {
        yield return new StateEntry(name + ".weight", [channels], ScalarType.Float32, true);
        yield return new StateEntry(name + ".bias", [channels], ScalarType.Float32, true);
        yield return new StateEntry(name + ".running_mean", [channels], ScalarType.Float32, false);
        yield return new StateEntry(name + ".running_var", [channels], ScalarType.Float32, false);
        yield return new StateEntry(name + ".num_batches_tracked", [], ScalarType.Int64, false);
    }
}
