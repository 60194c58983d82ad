using Dsh.Cli.Files;
using Dsh.Cli.Tests.Support;
using Dsh.Hashing;

namespace Dsh.Cli.Tests;

/// <summary>Bad input data (empty folders, corrupt model or index files) is exit code 3 and one stderr line.</summary>
public sealed class InputDataErrorTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void EmptyFoldersAreBadInputForTrain() =>
        DshRun.Run("train", "--sketches", _temp.Folder("s"), "--photos", _temp.Folder("p"), "--out", _temp.Combine("m.dshm"), "--profile", "compact")
            .AssertOneError(ExitCodes.BadInput);

    [Fact]
    public void CategoriesWithoutImagesAreBadInputForTrain()
    {
        _temp.Folder("s", "dog");
        _temp.Folder("p", "dog");
        DshRun.Run("train", "--sketches", Path.Combine(_temp.Path, "s"), "--photos", Path.Combine(_temp.Path, "p"), "--out", _temp.Combine("m.dshm"), "--profile", "compact")
            .AssertOneError(ExitCodes.BadInput);
        Assert.False(File.Exists(Path.Combine(_temp.Path, "m.dshm")));
    }

    [Fact]
    public void AFileThatIsNotAModelIsBadInput()
    {
        string model = _temp.File("m.dshm", "this is not a model"u8.ToArray());
        DshRun.Run("eval", "--model", model, "--sketches", _temp.Folder("s"), "--photos", _temp.Folder("p"))
            .AssertOneError(ExitCodes.BadInput, "not a usable dsh model");
    }

    [Fact]
    public void AnEmptyModelFileIsBadInput() =>
        DshRun.Run("encode", "--model", _temp.File("m.dshm", []), "--domain", "sketch", "--input", Repo.PacsMini + "/test/sketch/dog", "--out", _temp.Combine("c.csv"))
            .AssertOneError(ExitCodes.BadInput, "m.dshm");

    [Fact]
    public void AModelOverTheLoadLimitIsBadInput()
    {
        string model = CraftedModel.Write(_temp.Combine("huge.dshm"), CraftedModel.Huge, []);
        DshRun.Run("index", "build", "--model", model, "--photos", Path.Combine(Repo.PacsMini, "test", "photo", "dog"), "--out", _temp.Combine("i.dshi"))
            .AssertOneError(ExitCodes.BadInput, "more than the load limit of 512,000,000");
    }

    [Fact]
    public void AModelWithACraftedTensorShapeIsBadInput()
    {
        DshArchitecture architecture = DshArchitecture.Compact(16);
        string model = CraftedModel.Write(_temp.Combine("shape.dshm"), architecture, CraftedModel.WithHugeShapeLength(architecture));
        DshRun.Run("index", "build", "--model", model, "--photos", Path.Combine(Repo.PacsMini, "test", "photo", "dog"), "--out", _temp.Combine("i.dshi"))
            .AssertOneError(ExitCodes.BadInput, "2147483647 dimensions");
    }

    [Fact]
    public void ACorruptIndexIsBadInput()
    {
        string index = _temp.File("i.dshi", "DSHI and then garbage that is not an index at all"u8.ToArray());
        DshRun.Run("index", "info", "--index", index).AssertOneError(ExitCodes.BadInput);
    }

    [Fact]
    public void ATruncatedIndexIsBadInput()
    {
        string path = _temp.Combine("i.dshi");
        var index = new HammingIndex(64);
        index.Add(1, BinaryCode.FromHex("0123456789abcdef", 64));
        index.Save(path);
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^5]);
        DshRun.Run("search", "--model", _temp.File("m.dshm", [0]), "--index", path, "--sketch", _temp.File("q.png", [0]))
            .AssertOneError(ExitCodes.BadInput);
    }

    [Fact]
    public void AnIndexWithoutItsCatalogIsBadInput()
    {
        string path = _temp.Combine("i.dshi");
        new HammingIndex(32).Save(path);
        DshRun.Run("index", "info", "--index", path).AssertOneError(ExitCodes.BadInput, "catalog");
    }

    [Fact]
    public void ACatalogThatDoesNotMatchItsIndexIsBadInput()
    {
        string path = _temp.Combine("i.dshi");
        var index = new HammingIndex(32);
        index.Add(0, BinaryCode.FromHex("0000ffff", 32));
        index.Save(path);
        LegacyIndex.Write(path, index, "m", [(0, "/a.jpg", "a"), (1, "/b.jpg", "b")]);
        DshRun.Run("index", "info", "--index", path).AssertOneError(ExitCodes.BadInput, "do not match");
    }

    [Fact]
    public void ACatalogThatIsNotJsonIsBadInput()
    {
        string path = _temp.Combine("i.dshi");
        new HammingIndex(32).Save(path);
        File.WriteAllText(path + ".catalog.json", "{ not json");
        DshRun.Run("index", "info", "--index", path).AssertOneError(ExitCodes.BadInput, "not valid JSON");
    }

    [Fact]
    public void TokensOfAFolderWithoutImagesIsBadInput()
    {
        _temp.File("photos/readme.txt", "no images here"u8.ToArray());
        DshRun.Run("tokens", "--photos", Path.Combine(_temp.Path, "photos"), "--out", _temp.Combine("out"))
            .AssertOneError(ExitCodes.BadInput, "No photo images");
    }

    [Fact]
    public void TokensOfACorruptImageIsBadInput()
    {
        _temp.File("photos/cat/broken.jpg", "not a jpeg"u8.ToArray());
        DshRun.Run("tokens", "--photos", Path.Combine(_temp.Path, "photos"), "--out", _temp.Combine("out")).AssertOneError(ExitCodes.BadInput);
    }

    [Fact]
    public void DemoDataWithoutTheLayoutIsBadInput() =>
        DshRun.Run("demo", "--data", _temp.Folder("data", "train"), "--profile", "compact")
            .AssertOneError(ExitCodes.BadInput, "test/sketch");
}
