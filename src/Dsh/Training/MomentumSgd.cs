using Dsh.Native;
using TorchSharp.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace Dsh.Training;

/// <summary>
/// SGD with momentum and L2 weight decay, PyTorch's semantics (g = ∇ + wd·p; v = μ·v + g; p −= lr·v), with its
/// momentum buffers exposed so a checkpoint can save and restore them exactly. A parameter may take the step's rate
/// times its own factor (PyTorch's parameter groups with a scaled <c>lr</c>).
/// </summary>
internal sealed class MomentumSgd : IDisposable
{
    private readonly Parameter[] _parameters;
    private readonly Tensor[] _buffers;
    private readonly double _momentum;
    private readonly double _weightDecay;
    private readonly double[] _rateFactors;

    /// <param name="parameters">The parameters the steps update.</param>
    /// <param name="momentum">μ.</param>
    /// <param name="weightDecay">wd.</param>
    /// <param name="rateFactor">Each parameter's factor on the step's learning rate; null: 1 for all.</param>
    public MomentumSgd(IEnumerable<Parameter> parameters, double momentum, double weightDecay, Func<Parameter, double>? rateFactor = null)
    {
        _parameters = parameters.ToArray();
        _rateFactors = _parameters.Select(p => rateFactor?.Invoke(p) ?? 1).ToArray();
        _momentum = momentum;
        _weightDecay = weightDecay;
        using var noGrad = no_grad();
        _buffers = _parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
    }

    /// <summary>The momentum buffers, one per parameter in <c>parameters()</c> order.</summary>
    public IReadOnlyList<Tensor> Buffers => _buffers;

    /// <summary>Each parameter's factor on the learning rate, in <c>parameters()</c> order.</summary>
    public IReadOnlyList<double> RateFactors => _rateFactors;

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
            Tensor g = _weightDecay > 0 ? grad.Plus(_parameters[i], _weightDecay) : grad;
            _buffers[i].TimesInPlace(_momentum).PlusInPlace(g);
            _parameters[i].PlusInPlace(_buffers[i], -learningRate * _rateFactors[i]);
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
