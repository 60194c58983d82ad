using System.Runtime.ExceptionServices;

namespace Dsh.Imaging;

/// <summary>Runs per-item image work in parallel and rethrows an item's own exception (not an AggregateException).</summary>
internal static class ParallelItems
{
    public static void For(int count, Action<int> body)
    {
        try
        {
            Parallel.For(0, count, body);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            // One item's exception, with its own type and stack (a missing file stays a FileNotFoundException).
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            throw;
        }
    }
}
