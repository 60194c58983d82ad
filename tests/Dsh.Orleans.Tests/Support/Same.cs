namespace Dsh.Orleans.Tests.Support;

/// <summary>Asserts that the cluster throws what the local index throws: type, message and parameter name.</summary>
public static class Same
{
    public static async Task ExceptionAsync(Action local, Func<Task> cluster)
    {
        Exception expected = Assert.ThrowsAny<Exception>(local);
        Exception actual = await Assert.ThrowsAnyAsync<Exception>(cluster);
        Assert.Equal(expected.GetType(), actual.GetType());
        Assert.Equal(expected.Message, actual.Message);
        Assert.Equal((expected as ArgumentException)?.ParamName, (actual as ArgumentException)?.ParamName);
    }
}
