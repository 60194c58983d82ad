using Dsh.Tests.Support;
using Dsh.Training;

namespace Dsh.Tests.Compatibility;

/// <summary>
/// A training checkpoint written by an earlier commit (TestData/LegacyFiles, see its README.md) is resumed: the
/// trainer, given the run's options (read back from the model file that run saved) and the committed training
/// images, takes the checkpoint, runs only the steps left and finishes where the committed model did.
/// </summary>
public sealed class LegacyCheckpointTests
{
    /// <summary>
    /// The resumed run's outputs against the committed final model's: a run resumed on another CPU may drift a little
    /// over the steps it redoes, so this is looser than the model-file check; a checkpoint whose weights, momentum or
    /// codes were not restored ends far off.
    /// </summary>
    private const double ResumeTolerance = 1e-3;

    [Fact]
    public void LegacyCheckpoint_ResumesAndFinishesTheRun()
    {
        Expectations expectations = LegacyFiles.ReadExpectations();
        CheckpointExpectation checkpoint = expectations.Checkpoint;
        ModelExpectation finished = expectations.Models.Single(m => m.File == checkpoint.ModelFile);
        using var temp = new TempFolder("dsh-legacy-resume-");
        string checkpoints = Path.Combine(temp.Path, "checkpoints");
        Directory.CreateDirectory(checkpoints);
        string copy = Path.Combine(checkpoints, Path.GetFileName(checkpoint.File));
        File.Copy(LegacyFiles.File(checkpoint.File), copy);

        DshTrainerOptions options;
        using (DshModel committed = DshModel.Load(LegacyFiles.File(checkpoint.ModelFile)))
        {
            Assert.NotNull(committed.TrainingOptions);
            options = committed.TrainingOptions with
            {
                CheckpointDirectory = checkpoints,
                TokenCacheDirectory = Path.Combine(temp.Path, "tokens"),
            };
        }
        var dataset = SbirDataset.FromFolders(LegacyFiles.TrainSketches, LegacyFiles.TrainPhotos);
        var messages = new List<string>();
        int steps = 0;
        var progress = new Training.SyncProgress<DshProgress>(p =>
        {
            messages.Add(p.Message);
            if (p.Phase == TrainingPhase.NetworkStep)
            {
                steps++;
            }
        });

        using DshModel resumed = new DshTrainer(options).Fit(dataset, progress);

        Assert.Equal(copy, resumed.Summary.ResumedFrom);
        Assert.Contains(messages, m => m.StartsWith("resumed from", StringComparison.Ordinal));
        Assert.Equal(finished.Steps - checkpoint.GlobalStep, steps);
        Assert.Equal(finished.Steps, resumed.Summary.Steps);
        Assert.Equal(finished.Epochs, resumed.Summary.Epochs);
        Assert.Equal(finished.Categories, resumed.Categories);
        foreach ((ImageExpectation image, bool photo) in finished.Sketches.Select(s => (s, false)).Concat(finished.Photos.Select(p => (p, true))))
        {
            float[] actual = LegacyFiles.RealOutputs(resumed, LegacyFiles.File(image.Image), photo);
            LegacyModelFileTests.AssertClose(image.Outputs, actual, $"resumed run, {image.Image}", ResumeTolerance);
        }
    }
}
