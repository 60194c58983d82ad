namespace Dsh.Tests.Support;

/// <summary>
/// A background thread that collects garbage and runs finalizers in a loop until disposed: what a server's other
/// requests do to a call in flight, as often as possible.
/// </summary>
internal sealed class GarbageCollectingThread : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;

    public GarbageCollectingThread()
    {
        _thread = new Thread(() =>
        {
            while (!_stop.IsCancellationRequested)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
        }) { IsBackground = true };
        _thread.Start();
    }

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join();
        _stop.Dispose();
    }
}
