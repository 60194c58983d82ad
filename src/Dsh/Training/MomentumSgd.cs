using TorchSharp.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace Dsh.Training;

/// <summary>
/// SGD with momentum and L2 weight decay, PyTorch's semantics (g = ∇ + wd·p; v = μ·v + g; p −= lr·v), with its
/// momentum buffers exposed so a checkpoint can save and restore them exactly.
/// </summary>
internal sealed class MomentumSgd : IDisposable
{
    private readonly Parameter[] _parameters;
    private readonly Tensor[] _buffers;
    private readonly double _momentum;
    private readonly double _weightDecay;

    public MomentumSgd(IEnumerable<Parameter> parameters, double momentum, double weightDecay)
    {
        _parameters = parameters.ToArray();
        _momentum = momentum;
        _weightDecay = weightDecay;
        using var noGrad = no_grad();
        _buffers = _parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
    }

    /// <summary>The momentum buffers, one per parameter in <c>parameters()</c> order.</summary>
    public IReadOnlyList<Tensor> Buffers => _buffers;

    public void Step(double learningRate)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        for (int i = 0; i < _parameters.Length; i++)
        {
            Tensor? grad = _parameters[i].grad;
            if (grad is null)
            {
                continue;
            }
            Tensor g = _weightDecay > 0 ? grad.add(_parameters[i], _weightDecay) : grad;
            _buffers[i].mul_(_momentum).add_(g);
            _parameters[i].add_(_buffers[i], -learningRate);
        }
    }

    public void ZeroGrad()
    {
        foreach (Parameter p in _parameters)
        {
            p.grad?.zero_();
        }
    }

    public void Dispose()
    {
        foreach (Tensor b in _buffers)
        {
            b.Dispose();
        }
    }
}
