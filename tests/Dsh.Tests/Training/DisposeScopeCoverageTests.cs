using Dsh.Imaging.Contours;
using Dsh.Model;
using Dsh.Training;
using Dsh.Tests.Shared;
using Dsh.Tests.Support;
using SixLabors.ImageSharp;
using TorchSharp;

namespace Dsh.Tests.Training;

/// <summary>
/// Encoding and the training loop make every tensor inside a dispose scope. A tensor outside one is held only by the managed stack, and
/// TorchSharp reads a tensor's native handle without keeping the managed object reachable: a garbage collection on
/// another thread could finalize it during the very call that reads it (see <c>Dsh.Native.HeldScalars</c>).
/// </summary>
public sealed class DisposeScopeCoverageTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dsh-scope-coverage-").FullName;
    private readonly DshModel _model = TrainingFixtures.Fit(TrainingFixtures.Options(epochs: 1), TrainingFixtures.Data());

    public DisposeScopeCoverageTests() => _model.TokenExtractor = new ContourTokenExtractor();

    public void Dispose()
    {
        _model.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void Encoding_makes_no_tensor_outside_a_dispose_scope()
    {
        var random = new Random(3);
        string sketch = Path.Combine(_dir, "s.png");
        string photo = Path.Combine(_dir, "p.png");
        using (var image = ShapeImages.Sketch("circle", 80, random)) image.SaveAsPng(sketch);
        using (var image = ShapeImages.Photo("square", 80, random)) image.SaveAsPng(photo);
        _model.EncodeSketch(sketch); // first calls may set up lazily held state
        _model.EncodePhoto(photo);

        var statistics = DisposeScopeManager.Statistics;
        statistics.Reset();
        _model.EncodeSketch(sketch);
        _model.EncodePhoto(photo);
        _model.EmbedSketchFiles([sketch, sketch]);
        _model.EmbedPhotoFiles([photo]);
        using (var stream = File.OpenRead(sketch)) _model.EncodeSketch(stream);

        Assert.True(statistics.CreatedInScopeCount > 0, "the probe counts nothing: " + statistics);
        Assert.Equal(0, statistics.CreatedOutsideScopeCount);
    }

    [Fact]
    public void Training_steps_make_no_tensor_outside_a_dispose_scope()
    {
        var probe = new ScopeProbe();
        using DshModel model = TrainingFixtures.Fit(TrainingFixtures.Options(epochs: 2), TrainingFixtures.Data(), probe);

        Assert.True(probe.Reports > 4, $"{probe.Reports} reports");
        Assert.True(probe.CreatedInScope > 0, "the probe counts nothing");
        Assert.Equal(0, probe.CreatedOutsideScope);
    }

    /// <summary>
    /// Counts the tensors made between the first network step's report and the last report (the statistics are the
    /// reporting thread's: the trainer reports from the thread it trains on, which the probe checks).
    /// </summary>
    private sealed class ScopeProbe : IProgress<DshProgress>
    {
        private int? _thread;

        public int Reports { get; private set; }

        public long CreatedOutsideScope { get; private set; }

        public long CreatedInScope { get; private set; }

        public void Report(DshProgress value)
        {
            var statistics = DisposeScopeManager.Statistics;
            if (_thread is null)
            {
                if (value.Phase != TrainingPhase.NetworkStep)
                {
                    return;
                }
                _thread = Environment.CurrentManagedThreadId;
                statistics.Reset();
                return;
            }
            Assert.Equal(_thread, Environment.CurrentManagedThreadId);
            Reports++;
            CreatedOutsideScope = statistics.CreatedOutsideScopeCount;
            CreatedInScope = statistics.CreatedInScopeCount;
        }
    }
}
