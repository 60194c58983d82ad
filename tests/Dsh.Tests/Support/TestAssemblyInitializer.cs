using System.Runtime.CompilerServices;
using Dsh.Native;

namespace Dsh.Tests.Support;

/// <summary>
/// Loads the Dsh assembly (whose module initializer applies the oneDNN ISA cap, docs/native-loading.md) when this test
/// assembly loads, before any test — some tests run TorchSharp convolutions without a Dsh type, and oneDNN reads the
/// cap only once, at the first convolution of the process.
/// </summary>
internal static class TestAssemblyInitializer
{
    [ModuleInitializer]
    internal static void Initialize() => RuntimeHelpers.RunModuleConstructor(typeof(TorchRuntime).Module.ModuleHandle);
}
