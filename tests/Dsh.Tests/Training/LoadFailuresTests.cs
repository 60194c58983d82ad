using System.Runtime.InteropServices;
using Dsh.Persistence;
using static TorchSharp.torch;

namespace Dsh.Tests.Training;

/// <summary>Native and out-of-memory failures while a file is loaded become a one-line <see cref="InvalidDataException"/>.</summary>
public sealed class LoadFailuresTests
{
    [Fact]
    public void ANativeAllocationFailure_IsOneLineNamingTheFile()
    {
        var e = Assert.Throws<InvalidDataException>(() =>
            LoadFailures.Guard("model.dshm", "building the network in its header", () => empty(1L << 60).Dispose()));
        Assert.IsAssignableFrom<ExternalException>(e.InnerException);
        Assert.Contains('\n', e.InnerException!.Message); // libtorch's backtrace, dropped
        Assert.StartsWith("model.dshm: building the network in its header failed in TorchSharp: ", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void OutOfMemory_IsOneLineNamingTheFile()
    {
        var e = Assert.Throws<InvalidDataException>(() =>
            LoadFailures.Guard<int>("m.dshm", "reading the weights", () => throw new OutOfMemoryException("Out of memory.\nmore")));
        Assert.Equal("m.dshm: reading the weights ran out of memory: Out of memory.", e.Message);
    }

    [Theory]
    [InlineData("first\nframe #0: x\nframe #1: y", "first")]
    [InlineData("\n  \n second \r\nthird", "second")]
    [InlineData("", "no message")]
    public void FirstLine_KeepsTheFirstNonEmptyLine(string message, string expected) =>
        Assert.Equal(expected, LoadFailures.FirstLine(message));
}
