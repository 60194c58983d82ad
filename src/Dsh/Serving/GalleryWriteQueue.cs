using System.Threading.Channels;
using Dsh.Hashing;
using Microsoft.Extensions.Logging;

namespace Dsh.Serving;

/// <summary>
/// Serialises the changes a long-running process makes to its in-memory gallery and writes them to the gallery file in
/// groups: one background loop takes every change waiting, applies them all in one <see cref="Gallery.Commit{T}"/> (under
/// the file's lock, reloading first if another process changed the file) and completes each caller only after that save.
/// While idle it picks up changes other processes made (<see cref="Gallery.Refresh"/>). Disposing it writes what is queued.
/// </summary>
internal sealed class GalleryWriteQueue : IAsyncDisposable
{
    private const int MaxGroup = 512;
    private readonly Gallery _gallery;
    private readonly string _path;
    private readonly GalleryLockOptions _lockOptions;
    private readonly TimeSpan _refreshInterval;
    private readonly ILogger? _log;
    private readonly Channel<Change> _changes = Channel.CreateBounded<Change>(new BoundedChannelOptions(4096) { SingleReader = true });
    private readonly Task _loop;

    public GalleryWriteQueue(Gallery gallery, string path, TimeSpan lockTimeout, TimeSpan refreshInterval, ILogger? log)
    {
        _gallery = gallery;
        _path = path;
        _lockOptions = new GalleryLockOptions { Timeout = lockTimeout };
        _refreshInterval = refreshInterval;
        _log = log;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Adds the item unless its key is there already; completes once the file holds it: (id, added).</summary>
    public Task<(long Id, bool Added)> AddAsync(BinaryCode code, GalleryItem item, CancellationToken cancellationToken) =>
        Enqueue<(long, bool)>(g => g.TryFindKey(item.Key, out long existing) ? (existing, false) : (g.Add(code, item), true), cancellationToken);

    /// <summary>Removes the item; completes once the file no longer holds it: whether it was there.</summary>
    public Task<bool> RemoveAsync(long id, CancellationToken cancellationToken) => Enqueue(g => g.Remove(id), cancellationToken);

    private async Task<T> Enqueue<T>(Func<Gallery, T> apply, CancellationToken cancellationToken)
    {
        var change = new Change(g => apply(g)!);
        await _changes.Writer.WriteAsync(change, cancellationToken).ConfigureAwait(false);
        // Once queued, a change is written even if the caller stops waiting: it cannot be taken back half-way.
        return (T)await change.Done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        ChannelReader<Change> reader = _changes.Reader;
        while (true)
        {
            bool more;
            using (var idle = new CancellationTokenSource(_refreshInterval))
            {
                try
                {
                    more = await reader.WaitToReadAsync(idle.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (idle.IsCancellationRequested)
                {
                    Refresh();
                    continue;
                }
            }
            if (!more)
            {
                return;
            }
            var group = new List<Change>();
            while (group.Count < MaxGroup && reader.TryRead(out Change? change))
            {
                group.Add(change);
            }
            Write(group);
        }
    }

    private void Write(List<Change> group)
    {
        var results = new object[group.Count];
        try
        {
            _gallery.Commit(_path, g =>
            {
                for (int i = 0; i < group.Count; i++)
                {
                    results[i] = group[i].Apply(g);
                }
            }, _lockOptions);
        }
        catch (Exception e)
        {
            _log?.LogError(e, "Could not write {Count} change(s) to the gallery {Path}", group.Count, _path);
            foreach (Change change in group)
            {
                change.Done.TrySetException(e);
            }
            return;
        }
        for (int i = 0; i < group.Count; i++)
        {
            group[i].Done.TrySetResult(results[i]);
        }
    }

    private void Refresh()
    {
        try
        {
            if (_gallery.Refresh(_path))
            {
                _log?.LogInformation("Reloaded the gallery {Path}: another process changed it ({Count} items now)", _path, _gallery.Count);
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException or InvalidOperationException or UnauthorizedAccessException)
        {
            _log?.LogWarning("Could not reload the gallery {Path}: {Message}", _path, e.Message);
        }
    }

    /// <summary>Stops taking changes and waits until every queued one is written.</summary>
    public async ValueTask DisposeAsync()
    {
        _changes.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    private sealed class Change(Func<Gallery, object> apply)
    {
        public Func<Gallery, object> Apply { get; } = apply;

        public TaskCompletionSource<object> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
