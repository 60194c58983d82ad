using System.Text.Json;
using Dsh.Model;
using Dsh.Persistence;
using Dsh.Tests.Support;
using Dsh.Training;
using Dsh.Trunks;

namespace Dsh.Tests.Model;

/// <summary>
/// Trunk specs in JSON (model headers, checkpoints): each is stored with its <c>Kind</c> and read back through
/// <see cref="TrunkSpecs"/>; a kind nobody registered is refused with a message that says what to do.
/// </summary>
public sealed class TrunkSpecJsonTests
{
    private const string UnknownKind = "no-such-trunk";

    public static readonly Dictionary<string, DshArchitecture> BuiltIns = new()
    {
        ["Paper(32)"] = DshArchitecture.Paper(32),
        ["Compact(64)"] = DshArchitecture.Compact(64),
        ["ResNet18(128)"] = DshArchitecture.ResNet18(128),
        ["ResNet18(64) frozen 1/2"] = DshArchitecture.ResNet18(64).WithFrozen(sketch: 1, photo: 2),
        ["Compact(32) shared token BN"] = DshArchitecture.Compact(32) with { TokenBatchNorm = TokenBatchNorm.Shared },
    };

    public static TheoryData<string> BuiltInNames => new(BuiltIns.Keys);

    [Theory]
    [MemberData(nameof(BuiltInNames))]
    public void BuiltInArchitecture_RoundTripsThroughDshJson(string name)
    {
        DshArchitecture original = BuiltIns[name];
        original.Validate();
        string json = DshJson.Serialize(original);
        Assert.Contains($"\"Kind\": \"{original.SketchTrunk.Kind}\"", json, StringComparison.Ordinal);
        Assert.Contains($"\"Kind\": \"{original.PhotoTrunk.Kind}\"", json, StringComparison.Ordinal);

        DshArchitecture read = DshJson.Deserialize<DshArchitecture>(json, name);

        Assert.Equal(original, read);
        Assert.Equal(original.SketchTrunk.GetType(), read.SketchTrunk.GetType());
        Assert.Equal(original.PhotoTrunk.GetType(), read.PhotoTrunk.GetType());
        Assert.Equal(json, DshJson.Serialize(read));
    }

    [Fact]
    public void RoundTrip_TellsTheVariantsApart()
    {
        // The variants differ only in a spec field or a choice: equality (and so the round trip above) sees it.
        Assert.NotEqual(BuiltIns["ResNet18(64) frozen 1/2"], DshArchitecture.ResNet18(64));
        Assert.NotEqual(BuiltIns["Compact(32) shared token BN"], DshArchitecture.Compact(32));
        Assert.Equal((1, 2), DshJson.Deserialize<DshArchitecture>(DshJson.Serialize(BuiltIns["ResNet18(64) frozen 1/2"]), "frozen").Frozen());
    }

    [Theory]
    [InlineData(CaffeSketchTrunkSpec.KindName)]
    [InlineData(AlexNetPhotoTrunkSpec.KindName)]
    public void UnknownTrunkKind_InAnArchitecture_FailsNamingTheKindAndRegister(string replaced)
    {
        Assert.Null(TrunkSpecs.Find(UnknownKind));
        string json = WithKind(DshJson.Serialize(DshArchitecture.Compact(64)), replaced);

        var e = Assert.Throws<InvalidDataException>(() => DshJson.Deserialize<DshArchitecture>(json, "architecture.json"));
        AssertNamesKindAndRegister(e.Message);
        Assert.StartsWith("architecture.json: ", e.Message, StringComparison.Ordinal);
        var inner = Assert.IsAssignableFrom<JsonException>(e.InnerException);
        AssertNamesKindAndRegister(inner.Message);

        // The same through plain System.Text.Json (the type's own converter), without DshJson's wrapping.
        var plain = Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<DshArchitecture>(json, DshJson.Options));
        AssertNamesKindAndRegister(plain.Message);
    }

    [Fact]
    public void UnknownTrunkKind_InAModelFileHeader_FailsToLoad_NamingTheFileTheKindAndRegister()
    {
        using var temp = new TempFolder();
        var header = new DshModel.FileHeader
        {
            Architecture = DshArchitecture.Compact(16),
            Categories = ["cat", "dog"],
            Summary = new TrainingSummary(),
            TokenExtractor = "synthetic",
            TrainingOptions = new DshTrainerOptions { Architecture = DshArchitecture.Compact(16) },
        };
        string json = WithKind(DshJson.Serialize(header), CaffeSketchTrunkSpec.KindName);
        string path = temp.File("unknown-trunk.dshmodel");
        DshFile.Write(path, DshFileKind.Model, json, _ => { });

        var e = Assert.Throws<InvalidDataException>(() => DshModel.Load(path));

        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        AssertNamesKindAndRegister(e.Message);
        Assert.IsAssignableFrom<JsonException>(e.InnerException);
    }

    [Fact]
    public void TrunkSpecWithoutKind_IsRefused()
    {
        string json = DshJson.Serialize(DshArchitecture.Compact(64)).Replace(
            $"\"Kind\": \"{AlexNetPhotoTrunkSpec.KindName}\",", "", StringComparison.Ordinal);
        var e = Assert.Throws<InvalidDataException>(() => DshJson.Deserialize<DshArchitecture>(json, "architecture.json"));
        Assert.Contains("\"Kind\"", e.Message, StringComparison.Ordinal);
    }

    /// <summary><paramref name="json"/> with every trunk of kind <paramref name="replaced"/> renamed to <see cref="UnknownKind"/>.</summary>
    private static string WithKind(string json, string replaced)
    {
        string from = $"\"Kind\": \"{replaced}\"";
        Assert.Contains(from, json, StringComparison.Ordinal);
        return json.Replace(from, $"\"Kind\": \"{UnknownKind}\"", StringComparison.Ordinal);
    }

    private static void AssertNamesKindAndRegister(string message)
    {
        Assert.Contains($"'{UnknownKind}'", message, StringComparison.Ordinal);
        Assert.Contains("TrunkSpecs.Register<T>()", message, StringComparison.Ordinal);
    }
}
