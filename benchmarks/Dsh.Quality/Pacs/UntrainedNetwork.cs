using Dsh.Training;
using static TorchSharp.torch;

namespace Dsh.Quality.Pacs;

/// <summary>
/// A <see cref="DshModel"/> whose network is exactly where training starts: the generator seeded with the trainer's
/// seed, the network built (<see cref="DshNetwork"/>: heads, and for the Caffe backbone the trunks, at their
/// initialisation), and for the ResNet18 backbone the ImageNet trunks loaded — what <c>DshTrainer.Fit</c> does before
/// its first step. Encodes through the same <see cref="DshModel.EncodeSketches"/> / <see cref="DshModel.EncodePhotos"/>
/// as a trained model.
/// </summary>
internal static class UntrainedNetwork
{
    public static DshModel Create(DshArchitecture architecture, IReadOnlyList<string> categories, int seed, string? imageNetWeightsPath = null)
    {
        manual_seed(seed);
        var network = new DshNetwork(architecture.Validated());
        try
        {
            network.LoadPretrainedWeights(imageNetWeightsPath);
            return new DshModel(network, categories, new TrainingSummary(), tokenExtractorName: "");
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }
}
