using Dsh.Hashing.Tests.TestUtilities;
using Dsh.Tests.Shared;

namespace Dsh.Hashing.Tests;

public class ReadmeExampleTests
{
    [Fact]
    public void ReadmeExample_IsTheCompiledOne()
    {
        ReadmeBlocks.AssertSame(RepositoryPaths.Root, "example", Path.Combine("tests", "Dsh.Hashing.Tests", "ReadmeExample.cs"));
    }

    [Fact]
    public void ReadmeExample_Runs_AndTheLoadedIndexAnswersTheSame()
    {
        (IReadOnlyList<Neighbor> top, IReadOnlyList<Neighbor> afterLoad) = ReadmeExample.Run();
        Assert.Equal(5, top.Count);
        Assert.Equal(top, afterLoad);
        Assert.Equal(top.Order(), top);
    }
}
