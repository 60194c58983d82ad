using System.Globalization;

namespace Dsh.Quality.QuickDraw;

/// <summary>
/// What <c>quickdraw-cifar dsh [bits] [epochs] [profile] [lr=] [sketchFrozen=] [photoFrozen=]</c> trains, parsed and
/// validated before any data is read, so that a bad argument fails at once.
/// </summary>
internal sealed record QuickDrawDshSettings(int Bits, int Epochs, string Profile, DshArchitecture Architecture, double LearningRate)
{
    /// <summary>Parses and validates the settings.</summary>
    /// <exception cref="FormatException">A number does not parse.</exception>
    /// <exception cref="ArgumentException">An unknown profile, or an architecture the trainer rejects.</exception>
    public static QuickDrawDshSettings Parse(string[] positional, IReadOnlyDictionary<string, string> keys)
    {
        var inv = CultureInfo.InvariantCulture;
        int bits = positional.Length > 0 ? int.Parse(positional[0], inv) : 64;
        int epochs = positional.Length > 1 ? int.Parse(positional[1], inv) : 6;
        string profile = positional.Length > 2 ? positional[2] : "resnet18";
        DshArchitecture architecture = QualityProfiles.Architecture(profile, bits);
        if (keys.TryGetValue("photoFrozen", out string? photoFrozen))
        {
            architecture = architecture with { PhotoTrunk = ((ResNet18TrunkSpec)architecture.PhotoTrunk) with { FrozenStages = int.Parse(photoFrozen, inv) } };
        }
        if (keys.TryGetValue("sketchFrozen", out string? sketchFrozen))
        {
            architecture = architecture with { SketchTrunk = ((ResNet18TrunkSpec)architecture.SketchTrunk) with { FrozenStages = int.Parse(sketchFrozen, inv) } };
        }
        double lr = keys.TryGetValue("lr", out string? lrText) ? double.Parse(lrText, inv) : bits <= 64 ? 1e-2 : 1e-2 * 32 / bits;
        return new QuickDrawDshSettings(bits, epochs, profile, architecture.Validated(), lr);
    }
}
