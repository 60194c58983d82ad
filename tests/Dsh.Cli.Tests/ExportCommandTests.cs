using Dsh.Cli.Tests.Support;

namespace Dsh.Cli.Tests;

/// <summary>
/// <c>dsh export</c>'s refusals: a model without ResNet-18 trunks, an output path that is a file, a missing model. (The
/// working export is exercised end to end by the ONNX serving test and by the library's export tests.)
/// </summary>
public sealed class ExportCommandTests(TinyModel model) : IClassFixture<TinyModel>, IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_compact_profile_model_is_bad_input_and_nothing_is_written()
    {
        string outDir = _temp.Combine("onnx");
        DshRun.Run("export", "--model", model.Path, "--out", outDir).AssertOneError(ExitCodes.BadInput, "ResNet-18");
        Assert.False(Directory.Exists(outDir) && Directory.EnumerateFileSystemEntries(outDir).Any());
    }

    [Fact]
    public void An_output_path_that_is_a_file_is_bad_input()
    {
        string file = _temp.File("taken", "x"u8.ToArray());
        DshRun.Run("export", "--model", model.Path, "--out", file).AssertOneError(ExitCodes.BadInput, "is a file");
    }

    [Fact]
    public void Int8_without_both_calibration_folders_and_calibration_without_int8_are_usage_errors()
    {
        string sketches = _temp.Combine("sketches");
        Directory.CreateDirectory(sketches);
        DshRun.Run("export", "--model", model.Path, "--out", _temp.Combine("o"), "--int8", "--calibration-sketches", sketches)
            .AssertOneError(ExitCodes.Usage, "--int8 needs --calibration-sketches DIR and --calibration-photos DIR");
        DshRun.Run("export", "--model", model.Path, "--out", _temp.Combine("o"), "--calibration-photos", sketches)
            .AssertOneError(ExitCodes.Usage, "apply to --int8 only");
    }

    [Fact]
    public void A_missing_model_is_a_usage_error() =>
        DshRun.Run("export", "--model", _temp.Combine("none.dshm"), "--out", _temp.Combine("o")).AssertOneError(ExitCodes.Usage, "none.dshm");
}
