using Dsh.Hashing;

namespace Dsh.Tests.Training;

/// <summary>
/// Binds the names issue #5 lists under "Public surface that outside checks compile against": a rename or a
/// signature change stops this file compiling.
/// </summary>
public class TrainingSurfaceTests
{
    [Fact]
    public void Issue5Contract_Binds()
    {
        Func<string, string, SbirDataset> fromFolders = SbirDataset.FromFolders;
        var options = new DshTrainerOptions { Architecture = DshArchitecture.Compact(64), Epochs = 3, Seed = 1 };
        var trainer = new DshTrainer(options);
        Func<SbirDataset, DshModel> fit = trainer.Fit;
        Func<SbirDataset, IProgress<DshProgress>?, CancellationToken, DshModel> fitWithProgress = trainer.Fit;
        Func<string, DshModel> load = DshModel.Load;
        Action<DshModel, string> save = (m, p) => m.Save(p);
        Func<DshModel, string, BinaryCode> encodeSketch = (m, p) => m.EncodeSketch(p);
        Func<DshModel, string, BinaryCode> encodePhoto = (m, p) => m.EncodePhoto(p);
        Func<DshModel, IEnumerable<(long Id, string PhotoPath)>, HammingIndex> buildIndex = (m, photos) => m.BuildIndex(photos);
        Assert.All(new object[] { fromFolders, fit, fitWithProgress, load, save, encodeSketch, encodePhoto, buildIndex }, Assert.NotNull);
        Assert.Equal(64, options.Architecture.CodeLength);
    }
}
