using Dsh.Native;
using Dsh.Persistence;
using TorchSharp;
using static TorchSharp.torch;

namespace Dsh.Training;

/// <summary>
/// The running mean of a network's learning state over training steps (stochastic weight averaging with a constant
/// rate): every trainable parameter and every floating-point buffer (batch-norm statistics). Frozen parameters never
/// change, so they are not copied. <see cref="CopyTo"/> writes the mean into the network at the end of the run.
/// </summary>
internal sealed class WeightAverage : IDisposable
{
    private readonly Tensor[] _targets;
    private readonly Tensor[] _means;

    public WeightAverage(DshNetwork network)
    {
        _targets = Tracked(network).ToArray();
        using var noGrad = no_grad();
        _means = _targets.Select(t => zeros_like(t).DetachFromDisposeScope()).ToArray();
    }

    /// <summary>How many states the mean holds.</summary>
    public int Count { get; private set; }

    /// <summary>Adds the network's current state to the mean.</summary>
    public void Add()
    {
        using var noGrad = no_grad();
        Count++;
        double weight = 1.0 / Count;
        for (int i = 0; i < _targets.Length; i++)
        {
            using var scope = NewDisposeScope();
            // mean += (x − mean) / n: exact for the first state, stable for later ones.
            Tensor step = _targets[i].sub(_means[i]); // under no_grad: no graph is recorded
            _means[i].PlusInPlace(step, weight);
        }
    }

    /// <summary>Writes the mean into the network (nothing when no state was added).</summary>
    public void CopyTo()
    {
        if (Count == 0)
        {
            return;
        }
        using var noGrad = no_grad();
        for (int i = 0; i < _targets.Length; i++)
        {
            _targets[i].copy_(_means[i]);
        }
    }

    /// <summary>Writes the count and the means (after a checkpoint's other tensors).</summary>
    public void Save(BinaryWriter writer)
    {
        using var scope = NewDisposeScope();
        writer.Write(Count);
        writer.Write(_means.Length);
        foreach (Tensor mean in _means)
        {
            mean.cpu().Save(writer);
        }
    }

    /// <summary>Reads what <see cref="Save"/> wrote, each tensor checked against the one it fills.</summary>
    /// <exception cref="InvalidDataException">The count or a tensor does not fit this network.</exception>
    public void Load(BinaryReader reader, string path)
    {
        int count = StateDictReader.ReadInt32(reader, path, "the weight-average count");
        if (count < 0)
        {
            throw new InvalidDataException($"{path}: a weight average of {count} states.");
        }
        int tensors = StateDictReader.ReadInt32(reader, path, "the weight-average tensor count");
        if (tensors != _means.Length)
        {
            throw new InvalidDataException($"{path}: {tensors} weight-average tensors for {_means.Length} averaged tensors.");
        }
        for (int i = 0; i < tensors; i++)
        {
            StateDictReader.ReadTensorInto(reader, _means[i], $"weight-average tensor {i + 1} of {tensors}", path);
        }
        Count = count;
    }

    public void Dispose()
    {
        foreach (Tensor mean in _means)
        {
            mean.Dispose();
        }
    }

    private static IEnumerable<Tensor> Tracked(DshNetwork network)
    {
        foreach (var (_, parameter) in network.named_parameters())
        {
            if (parameter.requires_grad)
            {
                yield return parameter;
            }
        }
        foreach (var (_, buffer) in network.named_buffers())
        {
            if (buffer.is_floating_point())
            {
                yield return buffer;
            }
        }
    }
}
