using Dsh.Hashing;
using Dsh.Tests.Shared;
using Dsh.Tests.Support;

namespace Dsh.Tests;

public class ReadmeModelExampleTests
{
    [Fact]
    public void ReadmeModelExample_IsTheCompiledOne()
    {
        ReadmeBlocks.AssertSame(RepoPaths.Root, "model-example", Path.Combine("tests", "Dsh.Tests", "ReadmeModelExample.cs"));
    }

    [Fact]
    public void ReadmeModelExample_Runs()
    {
        (IReadOnlyList<Neighbor> top, DshLossTerms terms, float loss) = ReadmeModelExample.Run();
        Assert.Equal(2, top.Count);
        Assert.All(top, n => Assert.InRange(n.Id, 10, 13));
        Assert.True(terms.Total > 0 && double.IsFinite(terms.Total));
        Assert.True(loss > 0 && float.IsFinite(loss));
    }
}
