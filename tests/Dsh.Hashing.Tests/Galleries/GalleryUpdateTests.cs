using System.Diagnostics;
using Dsh.Hashing.Tests.TestUtilities;

namespace Dsh.Hashing.Tests.Galleries;

/// <summary>Update, Commit, Refresh and the lock file, within one process (threads and several instances).</summary>
public sealed class GalleryUpdateTests : IDisposable
{
    private static readonly GalleryLockOptions Short = new() { Timeout = TimeSpan.FromMilliseconds(200) };
    private readonly string _folder = Directory.CreateTempSubdirectory("dsh-gallery-update-").FullName;
    private readonly string _path;

    public GalleryUpdateTests()
    {
        _path = Path.Combine(_folder, "g.dshg");
        GalleryFileTests.Build(64, 10, 1).Save(_path);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Update_LoadsChangesAndSaves_OnlyWhenSomethingChanged()
    {
        long id = Gallery.Update(_path, g => g.Add(Code(1), new GalleryItem("new", "c")));
        Assert.Equal(10, id);
        Gallery saved = Gallery.Load(_path);
        Assert.Equal(11, saved.Count);
        Assert.Equal(2, saved.Generation);

        byte[] before = File.ReadAllBytes(_path);
        Assert.Equal(11, Gallery.Update(_path, g => g.Count));
        Assert.False(Gallery.Update(_path, g => g.Remove(12345)));
        Assert.Equal(before, File.ReadAllBytes(_path));

        Assert.Throws<FormatException>(() => Gallery.Update(_path, g =>
        {
            g.Add(Code(2), new GalleryItem("lost"));
            throw new FormatException("change failed");
        }));
        Assert.Equal(before, File.ReadAllBytes(_path));

        Gallery.Update(_path, g => g.Properties = g.Properties with { Model = "m" });
        Assert.Equal("m", Gallery.Load(_path).Properties.Model);
        Assert.True(File.Exists(_path + ".lock")); // the lock file stays (deleting it would be unsafe), empty
        Assert.Equal(0, new FileInfo(_path + ".lock").Length);
        Assert.Throws<FileNotFoundException>(() => Gallery.Update(Path.Combine(_folder, "missing.dshg"), g => g.Count));
    }

    [Fact]
    public void Commit_WhenNobodyElseWrote_DoesNotReadTheFile()
    {
        Gallery gallery = Gallery.Load(_path);
        gallery.Commit(_path, g => g.Add(Code(1), new GalleryItem("a")));

        // Damage the codes on disk but keep the header and the last checksum: a reload would fail.
        byte[] bytes = File.ReadAllBytes(_path);
        bytes[64 + (11 * 8) + 3] ^= 0xFF;
        File.WriteAllBytes(_path, bytes);

        gallery.Commit(_path, g => g.Add(Code(2), new GalleryItem("b")));
        Assert.Equal(12, Gallery.Load(_path).Count); // and the save replaced the damaged file
        Assert.Equal(3, gallery.Generation);
    }

    [Fact]
    public void Commit_AfterAnotherWriter_ReloadsFirst_AndRefreshCatchesUp()
    {
        Gallery a = Gallery.Load(_path), b = Gallery.Load(_path);
        Assert.False(a.Refresh(_path));
        long x = a.Commit(_path, g => g.Add(Code(1), new GalleryItem("x")));
        long y = b.Commit(_path, g => g.Add(Code(2), new GalleryItem("y")));
        Assert.Equal(10, x);
        Assert.Equal(11, y); // b saw x before adding: ids never collide
        Assert.True(b.TryFindKey("x", out _));
        Assert.False(a.TryFindKey("y", out _));
        Assert.Equal(3, b.Generation);

        Assert.True(a.Refresh(_path));
        Assert.True(a.TryFindKey("y", out _));
        Assert.Equal(3, a.Generation);
        Assert.False(a.Refresh(_path));
        Assert.Equal(b.GetItems(), Gallery.Load(_path).GetItems());

        // A rebuilt file of the same generation is still noticed (its checksum differs).
        Gallery rebuilt = GalleryFileTests.Build(64, 4, 99);
        rebuilt.Save(Path.Combine(_folder, "other.dshg"));
        File.Copy(Path.Combine(_folder, "other.dshg"), _path, overwrite: true);
        Assert.True(a.Refresh(_path));
        Assert.Equal(4, a.Count);
    }

    [Fact]
    public void Commit_SavesEarlierUnsavedChanges_ButNeverDropsThem()
    {
        Gallery a = Gallery.Load(_path);
        a.Add(Code(1), new GalleryItem("direct"));
        a.Commit(_path, g => g.Add(Code(2), new GalleryItem("committed")));
        Gallery saved = Gallery.Load(_path);
        Assert.True(saved.TryFindKey("direct", out _));
        Assert.True(saved.TryFindKey("committed", out _));

        a.Add(Code(3), new GalleryItem("unsaved"));
        Gallery.Update(_path, g => g.Add(Code(4), new GalleryItem("other process")));
        Assert.Contains("unsaved changes", Assert.Throws<InvalidOperationException>(() => a.Commit(_path, g => g.Count)).Message);
        Assert.Contains("unsaved changes", Assert.Throws<InvalidOperationException>(() => a.Refresh(_path)).Message);
        Assert.True(a.TryFindKey("unsaved", out _));
    }

    [Fact]
    public void Commit_ThatThrows_LeavesTheGalleryAsTheFile()
    {
        Gallery a = Gallery.Load(_path);
        byte[] before = File.ReadAllBytes(_path);
        Assert.Throws<FormatException>(() => a.Commit(_path, g =>
        {
            g.Add(Code(1), new GalleryItem("half"));
            throw new FormatException("change failed");
        }));
        Assert.Equal(before, File.ReadAllBytes(_path));
        Assert.False(a.HasUnsavedChanges);
        Assert.False(a.TryFindKey("half", out _));
        Assert.Equal(10, a.Count);
        a.Commit(_path, g => g.Add(Code(2), new GalleryItem("whole")));
        Assert.Equal(11, Gallery.Load(_path).Count);
    }

    [Fact]
    public void Commit_CreatesAMissingFile_AndRefusesNesting()
    {
        string path = Path.Combine(_folder, "new.dshg");
        var gallery = new Gallery(64, new GalleryProperties { Domain = "photo" });
        gallery.Commit(path, g => g.Add(Code(1), new GalleryItem("first")));
        Assert.Equal(1, Gallery.Load(path).Count);
        Assert.Equal(1, gallery.Generation);
        Assert.Contains("cannot call Commit", Assert.Throws<InvalidOperationException>(() => gallery.Commit(path, g => g.Commit(path, _ => 0))).Message);
        Assert.Contains("cannot call Commit or Refresh", Assert.Throws<InvalidOperationException>(() => gallery.Commit(path, g => g.Refresh(path))).Message);
        Assert.Equal(1, gallery.Count);

        Assert.Contains("32-bit codes", Assert.Throws<InvalidOperationException>(() => new Gallery(32).Commit(_path, g => g.Count)).Message);
        Assert.Equal(11, new Gallery(64).Commit(_path, g => g.Add(Code(2), new GalleryItem("into the file")) + 1));
    }

    [Fact]
    public async Task Lock_HeldByAnotherThread_TimesOutNamingTheLockFileAndHolder_ThenIsFree()
    {
        using var held = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        Task holder = Task.Run(() => Gallery.Update(_path, g =>
        {
            held.Set();
            release.Wait(TimeSpan.FromSeconds(30));
        }));
        Assert.True(held.Wait(TimeSpan.FromSeconds(10)));

        var clock = Stopwatch.StartNew();
        var e = Assert.Throws<TimeoutException>(() => Gallery.Update(_path, g => g.Count, Short));
        Assert.InRange(clock.ElapsedMilliseconds, 150, 5000);
        Assert.Contains(_path + ".lock", e.Message);
        Assert.Contains($"held by process {Environment.ProcessId} ", e.Message);
        Assert.Throws<TimeoutException>(() => Gallery.Load(_path).Commit(_path, g => g.Count, Short));
        Assert.Throws<TimeoutException>(() => Gallery.Load(_path).Save(_path, Short));
        Assert.Throws<TimeoutException>(() => Gallery.Update(_path, g => g.Count, new GalleryLockOptions { Timeout = TimeSpan.Zero }));
        using var cancel = new CancellationTokenSource(100);
        Assert.ThrowsAny<OperationCanceledException>(() => Gallery.Update(_path, g => g.Count, GalleryLockOptions.Default, cancel.Token));

        Task<int> waiter = Task.Run(() => Gallery.Update(_path, g => g.Count));
        Thread.Sleep(50);
        Assert.False(waiter.IsCompleted);
        release.Set();
        Assert.Equal(10, await waiter.WaitAsync(TimeSpan.FromSeconds(10)));
        await holder;
    }

    [Fact]
    public void Lock_IsReentrantOnOneThread()
    {
        Gallery.Update(_path, g =>
        {
            g.Add(Code(1), new GalleryItem("inner"));
            g.Save(_path); // the same thread already holds the lock
            Assert.Equal(11, Gallery.Load(_path).Count);
            g.Add(Code(2), new GalleryItem("outer"));
        });
        Assert.Equal(12, Gallery.Load(_path).Count);
        Assert.Equal(3, Gallery.Load(_path).Generation);
    }

    [Fact]
    public void LockOptions_CheckTheTimeout()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), GalleryLockOptions.Default.Timeout);
        Assert.Equal(Timeout.InfiniteTimeSpan, new GalleryLockOptions { Timeout = Timeout.InfiniteTimeSpan }.Timeout);
        Assert.Throws<ArgumentOutOfRangeException>(() => new GalleryLockOptions { Timeout = TimeSpan.FromMilliseconds(-2) });
        Assert.Throws<ArgumentOutOfRangeException>(() => new GalleryLockOptions { Timeout = TimeSpan.FromDays(30) });
    }

    [Fact]
    public async Task ConcurrentUpdatesAndCommits_FromThreadsAndInstances_LoseNothing()
    {
        const int PerThread = 25;
        Gallery a = Gallery.Load(_path), b = Gallery.Load(_path);
        var infinite = new GalleryLockOptions { Timeout = TimeSpan.FromSeconds(60) };
        Task[] writers = Enumerable.Range(0, 5).Select(t => Task.Factory.StartNew(() =>
        {
            for (int i = 0; i < PerThread; i++)
            {
                var item = new GalleryItem($"t{t}/{i}", $"t{t}");
                BinaryCode code = Code((t * 1000) + i);
                switch (t)
                {
                    case 0 or 1:
                        Gallery.Update(_path, g => g.Add(code, item), infinite);
                        break;
                    case 2 or 3:
                        a.Commit(_path, g => g.Add(code, item), infinite); // two threads share instance a
                        break;
                    default:
                        b.Commit(_path, g => g.Add(code, item), infinite);
                        break;
                }
            }
        }, TaskCreationOptions.LongRunning)).ToArray();
        await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(120));

        Gallery final = Gallery.Load(_path);
        Assert.Equal(10 + (5 * PerThread), final.Count);
        Assert.Equal(1 + (5 * PerThread), final.Generation); // every change saved once, none lost
        for (int t = 0; t < 5; t++)
        {
            Assert.Equal(PerThread, final.GetCategoryCounts()[$"t{t}"]);
        }

        Assert.True(a.Refresh(_path) || a.Generation == final.Generation);
        Assert.Equal(final.GetItems(), a.GetItems());
    }

    private static BinaryCode Code(int seed) => CodeGenerator.Uniform(seed, 1, 64)[0];
}
