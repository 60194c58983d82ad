using Dsh.Cli.Tests.Support;

namespace Dsh.Cli.Tests;

/// <summary>Every bad argument is exit code 2 and one 'dsh: error:' line on stderr (no model or data is touched).</summary>
public sealed class ArgumentErrorTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Sketches => _temp.Folder("s", "cat");

    private string Photos => _temp.Folder("p", "cat");

    [Fact]
    public void NoCommandShowsTheUsage()
    {
        CliResult result = DshRun.Run();
        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains("Usage:", result.Out, StringComparison.Ordinal);
        Assert.Contains("search", result.Out, StringComparison.Ordinal);
        Assert.Equal("", result.Err);
    }

    [Theory]
    [InlineData("serch", "'search'")]
    [InlineData("tarin", "'train'")]
    [InlineData("exprot", "'export'")]
    public void ACommandTypoGetsASuggestion(string typo, string suggestion) =>
        DshRun.Run(typo).AssertOneError(ExitCodes.Usage, $"did you mean {suggestion}?");

    [Fact]
    public void AnOptionTypoGetsASuggestion()
    {
        CliResult result = DshRun.Run("search", "--modle", "m.dshm");
        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("'--modle'; did you mean '--model'?", result.ErrLines[0], StringComparison.Ordinal);
    }

    [Fact]
    public void EveryParseErrorIsListedOnItsOwnLine()
    {
        CliResult result = DshRun.Run("search", "--sketch", "none.png");
        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.All(result.ErrLines, l => Assert.StartsWith("dsh: error: ", l, StringComparison.Ordinal));
        Assert.Contains(result.ErrLines, l => l.Contains("'--model' is required", StringComparison.Ordinal));
        Assert.Contains(result.ErrLines, l => l.Contains("'--index' is required", StringComparison.Ordinal));
        Assert.Contains(result.ErrLines, l => l.Contains("none.png", StringComparison.Ordinal));
        Assert.EndsWith("see 'dsh search --help'", result.ErrLines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void HelpTopicsComeFromTheManualBuiltIntoTheTool()
    {
        CliResult topics = DshRun.Run("help");
        Assert.Equal(ExitCodes.Success, topics.ExitCode);
        Assert.Contains("serve, export", topics.Out, StringComparison.Ordinal);
        CliResult serve = DshRun.Run("help", "serve");
        Assert.StartsWith("## `dsh serve`", serve.Out, StringComparison.Ordinal);
        Assert.Contains("--runtime", serve.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("## `dsh export`", serve.Out, StringComparison.Ordinal);
        Assert.Contains("130", DshRun.Run("help", "exit-codes").Out, StringComparison.Ordinal);
        DshRun.Run("help", "serv").AssertOneError(ExitCodes.Usage, "did you mean 'serve'?");
    }

    [Fact]
    public void TheBuiltInManualLinksToTheOtherDocsPagesByTheirAddress()
    {
        // the other pages do not ship with the tool: a link such as (results.md#x) must become an address
        string train = DshRun.Run("help", "train").Out;
        Assert.Contains("](https://github.com/dsh-sbir/dsh/blob/main/docs/results.md#which-trunk-stages-learn)", train, StringComparison.Ordinal);
        Assert.Contains("](https://github.com/dsh-sbir/dsh/blob/main/docs/semantics.md)", train, StringComparison.Ordinal);
        Assert.Contains("](#exit-codes)", DshRun.Run("help").Out + train + DshRun.Run("help", "conventions").Out, StringComparison.Ordinal);
        foreach (string topic in new[] { "conventions", "train", "encode", "index", "search", "serve", "export", "eval", "tokens", "demo", "files", "installing" })
        {
            string text = DshRun.Run("help", topic).Out;
            Assert.DoesNotMatch(@"\]\((?!https://|#)[^)]*\)", text);
        }
    }

    [Fact]
    public void TheSuggestDirectiveCompletesCommandsAndOptions()
    {
        Assert.Equal(["search", "serve"], DshRun.Run("[suggest:6]", "dsh se").Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Contains("--index", DshRun.Run("[suggest:14]", "dsh search --i").Out, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownCommandIsAUsageError() => DshRun.Run("frobnicate").AssertOneError(ExitCodes.Usage, "frobnicate");

    [Fact]
    public void UnknownOptionIsAUsageError()
    {
        CliResult result = DshRun.Run("train", "--sketches", Sketches, "--photos", Photos, "--out", _temp.Combine("m.dshm"), "--colour", "red");
        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("'--colour'", result.ErrLines[0], StringComparison.Ordinal);
    }

    [Fact]
    public void MissingRequiredOptionIsNamed() =>
        DshRun.Run("train", "--sketches", Sketches, "--photos", Photos).AssertOneError(ExitCodes.Usage, "--out");

    [Fact]
    public void UnknownProfileIsAUsageError() =>
        DshRun.Run("train", "--sketches", Sketches, "--photos", Photos, "--out", _temp.Combine("m.dshm"), "--profile", "vgg")
            .AssertOneError(ExitCodes.Usage, "vgg");

    [Theory]
    [InlineData("4")]
    [InlineData("0")]
    [InlineData("-64")]
    [InlineData("5000")]
    [InlineData("many")]
    public void BadBitsAreAUsageError(string bits) =>
        DshRun.Run("train", "--sketches", Sketches, "--photos", Photos, "--out", _temp.Combine("m.dshm"), "--bits", bits, "--profile", "compact")
            .AssertOneError(ExitCodes.Usage, "bits");

    [Theory]
    [InlineData("--epochs", "0")]
    [InlineData("--batch-size", "0")]
    [InlineData("--threads", "-1")]
    [InlineData("--lr", "-0.5")]
    [InlineData("--lr", "0")]
    [InlineData("--lr-schedule", "linear")]
    [InlineData("--average-epochs", "-1")]
    [InlineData("--sketch-trunk-lr-factor", "0")]
    [InlineData("--sketch-trunk-lr-factor", "11")]
    [InlineData("--sketch-trunk-lr-factor", "fast")]
    [InlineData("--fusion-head-lr-factor", "0")]
    [InlineData("--fusion-head-lr-factor", "10.5")]
    [InlineData("--dissimilar-target", "0.5")]
    [InlineData("--dissimilar-target", "-2")]
    [InlineData("--dissimilar-target", "orthogonal")]
    public void OutOfRangeTrainingValuesAreUsageErrors(string option, string value) =>
        DshRun.Run("train", "--sketches", Sketches, "--photos", Photos, "--out", _temp.Combine("m.dshm"), "--profile", "compact", option, value)
            .AssertOneError(ExitCodes.Usage, option);

    [Fact]
    public void ATokenSizeTheNetworkCannotTakeIsAUsageError()
    {
        DshRun.Run("train", "--sketches", Sketches, "--photos", Photos, "--out", _temp.Combine("m.dshm"), "--token-size", "0")
            .AssertOneError(ExitCodes.Usage, "--token-size");
        // The compact profile's trunk does not pool its features, so the fusion head fixes the token size.
        DshRun.Run("train", "--sketches", Sketches, "--photos", Photos, "--out", _temp.Combine("m.dshm"), "--profile", "compact", "--token-size", "32")
            .AssertOneError(ExitCodes.Usage, "TokenInputSize");
        // A side the ResNet-18 trunk cannot take.
        DshRun.Run("train", "--sketches", Sketches, "--photos", Photos, "--out", _temp.Combine("m.dshm"), "--token-size", "112")
            .AssertOneError(ExitCodes.Usage, "TokenInputSize");
    }

    [Fact]
    public void ClassVectorsThatAreNeitherANameNorAFileAreAUsageError() =>
        DshRun.Run("train", "--sketches", Sketches, "--photos", Photos, "--out", _temp.Combine("m.dshm"), "--profile", "compact",
                "--class-vectors", Path.Combine(_temp.Path, "glove.txt"))
            .AssertOneError(ExitCodes.Usage, "glove.txt");

    [Fact]
    public void ANegativeRerankDepthIsAUsageError()
    {
        DshRun.Run("search", "--model", _temp.File("m.dshm", [0]), "--index", _temp.File("g.dshi", [0]), "--sketch", _temp.File("s.png", [0]), "--rerank", "-1")
            .AssertOneError(ExitCodes.Usage, "--rerank");
        DshRun.Run("eval", "--model", _temp.File("m.dshm", [0]), "--sketches", Sketches, "--photos", Photos, "--rerank", "-1")
            .AssertOneError(ExitCodes.Usage, "--rerank");
    }

    [Theory]
    [InlineData("--photo-frozen-stages", "5")]
    [InlineData("--photo-frozen-stages", "-1")]
    [InlineData("--sketch-frozen-stages", "7")]
    public void OutOfRangeFrozenStagesAreUsageErrors(string option, string value) =>
        DshRun.Run("train", "--sketches", Sketches, "--photos", Photos, "--out", _temp.Combine("m.dshm"), option, value)
            .AssertOneError(ExitCodes.Usage, option);

    [Fact]
    public void FrozenStagesOfAProfileWithoutStagesAreAUsageError() =>
        DshRun.Run("train", "--sketches", Sketches, "--photos", Photos, "--out", _temp.Combine("m.dshm"), "--profile", "compact", "--photo-frozen-stages", "3")
            .AssertOneError(ExitCodes.Usage, "resnet18 only");

    [Fact]
    public void MissingFolderIsAUsageErrorNamingIt()
    {
        string missing = Path.Combine(_temp.Path, "no-such-folder");
        DshRun.Run("train", "--sketches", missing, "--photos", Photos, "--out", _temp.Combine("m.dshm"))
            .AssertOneError(ExitCodes.Usage, "no-such-folder");
    }

    [Fact]
    public void FileWhereAFolderBelongsIsAUsageError()
    {
        string file = _temp.File("x.txt", [1, 2, 3]);
        DshRun.Run("train", "--sketches", file, "--photos", Photos, "--out", _temp.Combine("m.dshm"))
            .AssertOneError(ExitCodes.Usage, "not a folder");
    }

    [Fact]
    public void MissingModelFileIsAUsageError() =>
        DshRun.Run("eval", "--model", Path.Combine(_temp.Path, "none.dshm"), "--sketches", Sketches, "--photos", Photos)
            .AssertOneError(ExitCodes.Usage, "none.dshm");

    [Fact]
    public void MissingImageNetFileIsAUsageError() =>
        DshRun.Run("train", "--sketches", Sketches, "--photos", Photos, "--out", _temp.Combine("m.dshm"), "--imagenet", Path.Combine(_temp.Path, "r.onnx"))
            .AssertOneError(ExitCodes.Usage, "r.onnx");

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    public void NonPositiveKIsAUsageErrorForEval(string k) =>
        DshRun.Run("eval", "--model", _temp.File("m.dshm", [0]), "--sketches", Sketches, "--photos", Photos, "-k", k)
            .AssertOneError(ExitCodes.Usage, "--top");

    [Fact]
    public void NonPositiveKIsAUsageErrorForSearch() =>
        DshRun.Run("search", "--model", _temp.File("m.dshm", [0]), "--index", _temp.File("i.dshi", [0]), "--sketch", _temp.File("q.png", [0]), "-k", "0")
            .AssertOneError(ExitCodes.Usage, "--top");

    [Fact]
    public void ReportAndNoReportExcludeEachOther() =>
        DshRun.Run("eval", "--model", _temp.File("m.dshm", [0]), "--sketches", Sketches, "--photos", Photos, "--report", _temp.Combine("r"), "--no-report")
            .AssertOneError(ExitCodes.Usage, "--no-report");

    [Fact]
    public void UnknownDomainIsAUsageError() =>
        DshRun.Run("encode", "--model", _temp.File("m.dshm", [0]), "--domain", "video", "--input", Photos, "--out", _temp.Combine("c.csv"))
            .AssertOneError(ExitCodes.Usage, "video");

    [Fact]
    public void IndexWithoutSubcommandIsAUsageError() => DshRun.Run("index").AssertOneError(ExitCodes.Usage);

    [Fact]
    public void HelpListsEveryCommandAndTheExitCodes()
    {
        CliResult result = DshRun.Run("--help").AssertSuccess().AssertNoAnsi();
        foreach (string command in new[] { "train", "encode", "index", "search", "eval", "tokens", "demo" })
        {
            Assert.Contains(command, result.Out, StringComparison.Ordinal);
        }
        Assert.Contains("130 cancelled", result.Out, StringComparison.Ordinal);
        Assert.Contains("3 bad input data", result.Out, StringComparison.Ordinal);
        Assert.Equal("", result.Err);
    }

    [Fact]
    public void SubcommandHelpShowsDefaultsEvenWithoutRequiredOptions()
    {
        CliResult result = DshRun.Run("train", "--help").AssertSuccess();
        Assert.Contains("[default: resnet18]", result.Out, StringComparison.Ordinal);
        Assert.Contains("[default: 6]", result.Out, StringComparison.Ordinal);
        Assert.Contains("Usage:", result.Out, StringComparison.Ordinal);
        Assert.Contains("dsh train", result.Out, StringComparison.Ordinal);
    }
}

/// <summary>Checks added after review: outputs that would silently be the wrong kind of file, or collide.</summary>
public sealed class OutputCollisionTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("photos.csv")]
    [InlineData("photos.JSON")]
    public void IndexBuildRefusesACsvOrJsonOutput(string name)
    {
        string model = _temp.File("m.dshm", new byte[] { 1, 2, 3 });
        string photos = _temp.Folder("p", "cat");
        DshRun.Run("index", "build", "--model", model, "--photos", photos, "--out", _temp.Combine(name))
            .AssertOneError(ExitCodes.Usage, "a gallery cannot be");
        Assert.False(File.Exists(_temp.Combine(name)));
    }

    [Fact]
    public void TokensRefusesTwoPhotosThatWouldShareAnOutputName()
    {
        string photos = _temp.Folder("p", "cat");
        using (var image = new SixLabors.ImageSharp.Image<SixLabors.ImageSharp.PixelFormats.Rgb24>(16, 16))
        {
            SixLabors.ImageSharp.ImageExtensions.SaveAsPng(image, Path.Combine(photos, "a.png"));
            SixLabors.ImageSharp.ImageExtensions.SaveAsJpeg(image, Path.Combine(photos, "a.jpg"));
        }
        string outDir = _temp.Combine("tokens");
        DshRun.Run("tokens", "--photos", _temp.Combine("p"), "--out", outDir).AssertOneError(ExitCodes.BadInput, "a.png");
        Assert.False(Directory.Exists(outDir) && Directory.EnumerateFiles(outDir, "*", SearchOption.AllDirectories).Any());
    }

    [Fact]
    public void DurationsOfADayOrMoreKeepTheirHours()
    {
        Assert.Equal("25:03:04", Format.Duration(new TimeSpan(1, 1, 3, 4)));
        Assert.Equal("1:00:00", Format.Duration(TimeSpan.FromHours(1)));
        Assert.Equal("2:05", Format.Duration(TimeSpan.FromSeconds(125)));
    }
}
