using Dsh.Data;
using Dsh.Quality.Pacs;
using Dsh.Quality.QuickDraw;

namespace Dsh.Quality;

/// <summary>
/// The <c>Dsh.Quality</c> commands by name. A bad argument (a number that does not parse, an unknown profile, a value
/// the trainer rejects, a missing data folder) ends with one line on standard error and exit code 2, not a stack
/// trace; <c>DSH_DEBUG=1</c> lets the exception through.
/// </summary>
internal static class QualityCommand
{
    public const string Usage = "usage: Dsh.Quality <dsh-pacs|frozen-baselines|baselines|quickdraw-cifar|wordnet-table> [arguments]   (see Program.cs and docs/results.md)";

    public static int Run(string[] args, TextWriter error)
    {
        string command = args.Length > 0 ? args[0] : "";
        Func<string[], int>? run = command switch
        {
            "dsh-pacs" => DshPacsTraining.Run,
            "frozen-baselines" => FrozenBaselines.Run,
            "baselines" => BaselineSuite.Run, // every baseline of issue #7 at 32/64/128 bits: baselines [pacsRoot] [outDir] [skip=untrained,…]
            "quickdraw-cifar" => QuickDrawCifarCommand.Run,
            "wordnet-table" => WordNetTableCommand.Run,
            "instance-probe" => InstanceProbe.Run,
            "class-probe" => ClassProbe.Run,
            "sketch-classifier" => SketchClassifierProbe.Run,
            _ => null,
        };
        if (run == null)
        {
            error.WriteLine(Usage);
            return 2;
        }
        try
        {
            return run(args[1..]);
        }
        catch (Exception e) when (IsBadArgument(e) && Environment.GetEnvironmentVariable("DSH_DEBUG") != "1")
        {
            error.WriteLine($"Dsh.Quality {command}: {e.Message}");
            return 2;
        }
    }

    private static bool IsBadArgument(Exception e) =>
        e is ArgumentException or FormatException or OverflowException or DirectoryNotFoundException or FileNotFoundException
            or SbirDatasetException;
}
