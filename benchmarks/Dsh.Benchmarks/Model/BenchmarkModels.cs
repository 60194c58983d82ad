using Dsh.Imaging.Contours;
using Dsh.Training;
using TorchSharp;

namespace Dsh.Benchmarks.Model;

/// <summary>Models for the encoding benchmarks: what they cost does not depend on the weights, so none is trained.</summary>
internal static class BenchmarkModels
{
    /// <summary>The ResNet18 profile at 64 bits with its ImageNet trunks and untrained heads, on 2 threads.</summary>
    public static DshModel ResNet18()
    {
        torch.set_num_threads(2);
        torch.manual_seed(1);
        var network = new DshNetwork(DshArchitecture.ResNet18(64));
        network.LoadPretrainedWeights();
        return new DshModel(network, ["a", "b"], new TrainingSummary(), new ContourTokenExtractor().Name);
    }
}
