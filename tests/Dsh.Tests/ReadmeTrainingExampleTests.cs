using Dsh.Tests.Shared;
using Dsh.Tests.Support;

namespace Dsh.Tests;

[Trait("Category", "Slow")]
public sealed class ReadmeTrainingExampleTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dsh-readme-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void ReadmeTrainingExample_IsTheCompiledOne()
    {
        ReadmeBlocks.AssertSame(RepoPaths.Root, "training-example", Path.Combine("tests", "Dsh.Tests", "ReadmeTrainingExample.cs"));
    }

    [Fact]
    public void ReadmeTrainingExample_RunsAndWritesModelAndCheckpoints()
    {
        (string sketchRoot, string photoRoot) = ShapeImages.WriteDataset(Path.Combine(_dir, "data"), 20, 12, seed: 5);
        var top = ReadmeTrainingExample.Run(sketchRoot, photoRoot, _dir);
        Assert.Equal(5, top.Count);
        Assert.True(File.Exists(Path.Combine(_dir, "shapes.dshm")));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(_dir, "checkpoints")));
    }
}
