using Dsh.Pretrained;
using Dsh.Trunks;

namespace Dsh.Model;

/// <summary>Registers the library's own trunk specs with <see cref="TrunkSpecs"/> (done before any architecture is read).</summary>
internal static class BuiltInTrunks
{
    private static readonly Lazy<bool> Registered = new(() =>
    {
        TrunkSpecs.Register<CaffeSketchTrunkSpec>();
        TrunkSpecs.Register<AlexNetPhotoTrunkSpec>();
        TrunkSpecs.Register<ResNet18TrunkSpec>();
        return true;
    });

    public static void Register() => _ = Registered.Value;
}
