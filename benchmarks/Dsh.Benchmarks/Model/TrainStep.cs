using TorchSharp;
using static TorchSharp.torch;

namespace Dsh.Benchmarks.Model;

/// <summary>
/// One θ-step of DSH training on random data, exactly as benchmarks/peers/torch_train_step.py does it:
/// zero_grad; F_S = C2-Net(sketches); F_I = C1-Net(photos, tokens); loss = ‖F_S − T_S‖²/B + ‖F_I − T_I‖²/B;
/// backward; SGD (lr 1e-4, momentum 0.9, weight decay 1e-5). float32, CPU, training mode.
/// </summary>
public sealed class TrainStep : IDisposable
{
    private readonly DshNetwork _network;
    private readonly optim.Optimizer _optimizer;
    private readonly Tensor _sketches;
    private readonly Tensor _tokens;
    private readonly Tensor _photos;
    private readonly Tensor _sketchTargets;
    private readonly Tensor _photoTargets;

    public TrainStep(DshArchitecture architecture, int batch, int threads)
    {
        torch.set_num_threads(threads);
        torch.manual_seed(1);
        _network = new DshNetwork(architecture);
        _network.train();
        int s = architecture.SketchInputSize;
        int p = architecture.PhotoInputSize;
        _sketches = torch.randn(batch, 3, s, s);
        _tokens = torch.randn(batch, 3, s, s);
        _photos = torch.randn(batch, 3, p, p);
        _sketchTargets = torch.randint(0, 2, new long[] { batch, architecture.CodeLength }).mul(2).sub(1).to(ScalarType.Float32);
        _photoTargets = torch.randint(0, 2, new long[] { batch, architecture.CodeLength }).mul(2).sub(1).to(ScalarType.Float32);
        _optimizer = optim.SGD(_network.parameters(), 1e-4, momentum: 0.9, weight_decay: 1e-5);
    }

    public long ParameterCount => _network.ParameterCount;

    /// <summary>Runs one step and returns the loss before the update.</summary>
    public float Run()
    {
        using var scope = NewDisposeScope();
        _optimizer.zero_grad();
        Tensor loss = DshObjective.RegressionLoss(_network.ForwardSketch(_sketches), _sketchTargets)
            .add(DshObjective.RegressionLoss(_network.ForwardPhoto(_photos, _tokens), _photoTargets));
        loss.backward();
        _optimizer.step();
        return loss.item<float>();
    }

    public void Dispose()
    {
        _optimizer.Dispose();
        _network.Dispose();
        foreach (Tensor t in new[] { _sketches, _tokens, _photos, _sketchTargets, _photoTargets })
        {
            t.Dispose();
        }
    }
}
