using Dsh.Baselines;
using Dsh.Tests.Support;
using static TorchSharp.torch;

namespace Dsh.Tests.Baselines;

/// <summary>
/// Fitting and encoding with the baselines make every intermediate tensor inside a dispose scope
/// (<see cref="DisposeScopeProbe"/>): the fitted hashers hold plain arrays, so nothing they make needs to outlive a call.
/// </summary>
public sealed class BaselineDisposeScopeTests
{
    [Fact]
    public void Fitting_and_encoding_make_no_tensor_outside_a_dispose_scope()
    {
        var domains = new SyntheticDomains { ClassCount = 4, Dimensions = 16 };
        Tensor sketches, photos;
        int[] sketchLabels, photoLabels;
        using (NewDisposeScope())
        {
            // made in a scope and detached, so that the probed calls below run with no scope open on this thread
            (sketches, sketchLabels) = domains.Sketches(6, seed: 1);
            (photos, photoLabels) = domains.Photos(6, seed: 2);
            sketches.DetachFromDisposeScope();
            photos.DetachFromDisposeScope();
        }
        using (sketches)
        using (photos)
        {
            var (outside, inside) = DisposeScopeProbe.TensorsMadeOutsideScopes(() =>
            {
                var linear = LinearSupervisedHasher.Fit(sketches, sketchLabels, photos, photoLabels, classCount: 4, codeLength: 16);
                linear.EncodeSketches(sketches);
                linear.EncodePhotos(photos);
                ItqHasher.Fit(sketches, photos, 8, new ItqOptions { Iterations = 3 }).Encode(sketches);
                ItqHasher.Fit(photos, 8, new ItqOptions { Iterations = 3 }).Encode(photos);
                LshHasher.Fit(sketches, photos, 8).Encode(photos);
            });

            Assert.True(inside > 0, "the probe counts nothing");
            Assert.Equal(0, outside);
        }
    }
}
