using Dsh.Semantics;

namespace Dsh.Tests.Semantics;

/// <summary>How category names become lookup words.</summary>
public class CategoryWordsTests
{
    [Theory]
    [InlineData("dog", "dog")]
    [InlineData("Aircraft Carrier", "aircraft carrier")]
    [InlineData("teddy-bear", "teddy bear")]
    [InlineData("teddy_bear", "teddy bear")]
    [InlineData("The Eiffel Tower", "eiffel tower")]
    [InlineData("car_(sedan)", "car sedan")]
    [InlineData("cup of coffee", "cup coffee")]
    [InlineData("  wine   bottle ", "wine bottle")]
    [InlineData("The", "the")]
    [InlineData("---", "")]
    public void Words(string category, string expected) =>
        Assert.Equal(expected, string.Join(" ", CategoryWords.Words(category)));
}
