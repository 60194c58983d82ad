using Dsh.Imaging.Contours;
using Dsh.Model;
using Dsh.Tests.Shared;
using Dsh.Tests.Support;
using SixLabors.ImageSharp;

namespace Dsh.Tests.Training;

/// <summary>
/// Encoding and the training loop make every tensor inside a dispose scope (<see cref="DisposeScopeProbe"/>), on the
/// compact profile; <c>ResNet18TrainingTests</c> checks the ResNet18 profile's paths.
/// </summary>
public sealed class DisposeScopeCoverageTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dsh-scope-coverage-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Encoding_makes_no_tensor_outside_a_dispose_scope()
    {
        using DshModel model = TrainingFixtures.Fit(TrainingFixtures.Options(epochs: 1), TrainingFixtures.Data());
        model.TokenExtractor = new ContourTokenExtractor();
        var random = new Random(3);
        string sketch = Path.Combine(_dir, "s.png");
        string photo = Path.Combine(_dir, "p.png");
        using (var image = ShapeImages.Sketch("circle", 80, random)) image.SaveAsPng(sketch);
        using (var image = ShapeImages.Photo("square", 80, random)) image.SaveAsPng(photo);
        model.EncodeSketch(sketch); // first calls may set up state the model keeps
        model.EncodePhoto(photo);

        var (outside, inside) = DisposeScopeProbe.TensorsMadeOutsideScopes(() =>
        {
            model.EncodeSketch(sketch);
            model.EncodePhoto(photo);
            model.EmbedSketchFiles([sketch, sketch]);
            model.EmbedPhotoFiles([photo]);
            using var stream = File.OpenRead(sketch);
            model.EncodeSketch(stream);
        });

        Assert.True(inside > 0, "the probe counts nothing");
        Assert.Equal(0, outside);
    }

    [Fact]
    public void Saving_and_loading_make_no_tensor_outside_a_dispose_scope_beyond_the_networks_own()
    {
        using DshModel model = TrainingFixtures.Fit(TrainingFixtures.Options(epochs: 1), TrainingFixtures.Data());
        string path = Path.Combine(_dir, "m.dshm");
        var (savedOutside, _) = DisposeScopeProbe.TensorsMadeOutsideScopes(() => model.Save(path));
        Assert.Equal(0, savedOutside);

        // Building a network makes its parameters and buffers outside any scope (the modules hold them), and TorchSharp's
        // convolution constructors one temporary each; reading the weights into them must add nothing outside a scope.
        var (builtOutside, _) = DisposeScopeProbe.TensorsMadeOutsideScopes(() => new DshNetwork(model.Architecture).Dispose());
        DshModel? loaded = null;
        var (loadedOutside, loadedInside) = DisposeScopeProbe.TensorsMadeOutsideScopes(() => loaded = DshModel.Load(path));
        using (loaded)
        {
            Assert.True(loadedInside > 0, "the probe counts nothing");
            Assert.True(builtOutside >= loaded!.Network.parameters().Count() + loaded.Network.buffers().Count(), $"{builtOutside} outside");
            Assert.Equal(builtOutside, loadedOutside);
        }
    }

    [Fact]
    public void Training_steps_make_no_tensor_outside_a_dispose_scope()
    {
        var probe = new DisposeScopeProbe();
        using DshModel model = TrainingFixtures.Fit(TrainingFixtures.Options(epochs: 2), TrainingFixtures.Data(), probe);

        Assert.True(probe.Reports > 4, $"{probe.Reports} reports");
        Assert.True(probe.MadeInScopes > 0, "the probe counts nothing");
        Assert.Equal(0, probe.MadeOutsideScopes);
    }
}
