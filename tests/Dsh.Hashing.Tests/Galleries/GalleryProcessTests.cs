using System.Diagnostics;
using System.Reflection;
using System.Text;
using Dsh.Hashing.GalleryWriter;
using Xunit.Abstractions;

namespace Dsh.Hashing.Tests.Galleries;

/// <summary>
/// Real writer processes (tests/Dsh.Hashing.GalleryWriter) on one gallery file: several at once must lose no
/// update; writers killed with SIGKILL at random moments must leave a file that loads, holds every acknowledged
/// item whole, and is not locked.
/// </summary>
public sealed class GalleryProcessTests(ITestOutputHelper output) : IDisposable
{
    private const int Items = 3;
    private static readonly string WriterDll = typeof(GalleryProcessTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "GalleryWriterDll").Value!;
    private readonly string _folder = Directory.CreateTempSubdirectory("dsh-gallery-processes-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task SeveralWritersAtOnce_LoseNoUpdate()
    {
        const int Bits = 96, Updates = 30;
        string path = Seed(Bits, 2000);
        var writers = new List<WriterProcess>();
        for (int w = 0; w < 4; w++)
        {
            writers.Add(WriterProcess.Start(path, $"w{w}", w % 2 == 0 ? "update" : "commit", Updates));
        }

        foreach (WriterProcess writer in writers)
        {
            using (writer)
            {
                Assert.True(await writer.WaitForExitAsync(TimeSpan.FromSeconds(120)), "a writer did not finish in 120 s");
                Assert.True(writer.ExitCode == 0, writer.Describe());
            }
        }

        Gallery gallery = Gallery.Load(path);
        string[] acked = writers.SelectMany(w => w.Acks()).ToArray();
        Assert.Equal(4 * Updates * Items, acked.Length);
        Assert.Equal(acked.Length, acked.Distinct().Count());
        Assert.Equal(2000 + acked.Length, gallery.Count);
        Assert.Equal(1 + (4 * Updates), gallery.Generation); // every update saved exactly once, on top of all before it
        CheckItems(gallery, acked, Bits);
        foreach (WriterProcess writer in writers)
        {
            // One writer's updates are saved in the order it made them: its ids rise.
            long[] ids = writer.Acks().Select(k => gallery.TryFindKey(k, out long id) ? id : -1).ToArray();
            Assert.Equal(ids.Order(), ids);
        }

        Assert.Empty(TemporaryFiles(path));
    }

    [Fact]
    public async Task WritersKilledAtRandomMoments_LeaveAWholeUnlockedFile()
    {
        const int Bits = 64;
        string path = Seed(Bits, 20_000);
        var rng = new Random(42);
        var acked = new HashSet<string>(StringComparer.Ordinal);
        long generation = Gallery.Load(path).Generation;
        var clock = Stopwatch.StartNew();
        int rounds = 0, tempsLeft = 0, kills = 0;
        while (rounds < 4 || (rounds < 12 && clock.Elapsed < TimeSpan.FromSeconds(25)))
        {
            var writers = Enumerable.Range(0, 3)
                .Select(w => WriterProcess.Start(path, $"r{rounds}w{w}", rng.Next(2) == 0 ? "update" : "commit", updates: 0))
                .ToList();
            try
            {
                foreach (WriterProcess writer in writers)
                {
                    Assert.True(await writer.WaitForAcksAsync(1, TimeSpan.FromSeconds(30)), "a writer made no update in 30 s: " + writer.Describe());
                }

                // Kill them at random moments: in a load, in a change, in a save, holding the lock or waiting for it.
                await Task.Delay(rng.Next(0, 120));
                foreach (WriterProcess writer in writers)
                {
                    writer.Kill();
                    kills++;
                    await Task.Delay(rng.Next(0, 40));
                }

                foreach (WriterProcess writer in writers)
                {
                    Assert.True(await writer.WaitForExitAsync(TimeSpan.FromSeconds(30)));
                    acked.UnionWith(writer.Acks());
                }
            }
            finally
            {
                writers.ForEach(w => w.Dispose());
            }

            // The lock is free at once: the kernel dropped the dead writers' locks (one try, no waiting, whatever the machine's speed).
            Gallery.Update(path, g => g.Count, new GalleryLockOptions { Timeout = TimeSpan.Zero });

            Gallery gallery = Gallery.Load(path); // every checksum passes
            CheckItems(gallery, acked, Bits);
            var groups = gallery.GetItems().Select(p => p.Value.Key).Where(k => !k.StartsWith("base/", StringComparison.Ordinal))
                .GroupBy(k => k[..k.LastIndexOf('/')]).ToList();
            Assert.All(groups, g => Assert.True(g.Count() == Items, $"update {g.Key} is half there: {string.Join(", ", g)}"));
            CheckItems(gallery, groups.SelectMany(g => g), Bits); // saved but not acknowledged: whole and right too
            Assert.Equal(20_000 + rounds + (groups.Count * Items), gallery.Count); // one marker a round before this one
            Assert.True(gallery.Generation >= generation);
            generation = gallery.Generation;

            // The next save removes what writers killed mid-save left behind.
            tempsLeft += TemporaryFiles(path).Length;
            Gallery.Update(path, g => g.Add(KeyCodes.Code($"marker/{rounds}", Bits), new GalleryItem($"base/marker/{rounds}")));
            Assert.Empty(TemporaryFiles(path));
            rounds++;
        }

        output.WriteLine($"{rounds} rounds, {kills} writers killed, {acked.Count} items acknowledged, {tempsLeft} temporary files left by writers killed mid-save, {clock.Elapsed.TotalSeconds:0.0} s");
    }

    [Fact]
    public async Task AWriterKilledWhileHoldingTheLock_ReleasesItAtOnce()
    {
        string path = Seed(64, 10);
        using WriterProcess holder = WriterProcess.Start(path, "holder", "hold", updates: 0);
        Assert.True(await holder.WaitForLineAsync("holding", TimeSpan.FromSeconds(30)), holder.Describe());

        var e = Assert.Throws<TimeoutException>(() => Gallery.Update(path, g => g.Count, new GalleryLockOptions { Timeout = TimeSpan.FromMilliseconds(300) }));
        Assert.Contains(path + ".lock", e.Message);
        Assert.Contains($"held by process {holder.Id} ", e.Message);

        holder.Kill();
        Assert.True(await holder.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        // Free at once: a single try gets it.
        Assert.Equal(10, Gallery.Update(path, g => g.Count, new GalleryLockOptions { Timeout = TimeSpan.Zero }));
    }

    /// <summary>Every key is in the gallery once, with the code and category its writer derived from it.</summary>
    private static void CheckItems(Gallery gallery, IEnumerable<string> keys, int bits)
    {
        foreach (string key in keys)
        {
            Assert.True(gallery.TryFindKey(key, out long id), $"acknowledged item {key} is missing");
            Assert.True(gallery.TryGetItem(id, out GalleryItem? item));
            Assert.True(gallery.TryGetCode(id, out BinaryCode? code));
            string[] parts = key.Split('/');
            Assert.Equal(KeyCodes.Category(parts[0], int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture)), item.Category);
            Assert.Equal(KeyCodes.Code(key, bits), code);
        }
    }

    private static string[] TemporaryFiles(string path) =>
        Directory.GetFiles(Path.GetDirectoryName(path)!, "." + Path.GetFileName(path) + ".*.tmp");

    /// <summary>A gallery of <paramref name="count"/> items "base/i".</summary>
    private string Seed(int bits, int count)
    {
        var gallery = new Gallery(bits, new GalleryProperties { Domain = "photo" });
        string[] keys = Enumerable.Range(0, count).Select(i => $"base/{i}").ToArray();
        gallery.AddRange(BinaryCodeSet.FromCodes(keys.Select(k => KeyCodes.Code(k, bits)), bits), keys.Select(k => new GalleryItem(k)).ToArray());
        string path = Path.Combine(_folder, "g.dshg");
        gallery.Save(path);
        return path;
    }

    /// <summary>A running writer and everything it printed.</summary>
    private sealed class WriterProcess : IDisposable
    {
        private readonly Process _process;
        private readonly Task _stdout;
        private readonly Task<string> _stderr;
        private readonly object _gate = new();
        private readonly List<byte> _bytes = [];

        private WriterProcess(Process process)
        {
            _process = process;
            _stdout = Pump(process.StandardOutput.BaseStream);
            _stderr = process.StandardError.ReadToEndAsync();
        }

        public int Id => _process.Id;

        public int ExitCode => _process.ExitCode;

        public static WriterProcess Start(string path, string name, string mode, int updates)
        {
            Assert.True(File.Exists(WriterDll), $"{WriterDll} was not built");
            var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string argument in new[] { WriterDll, path, name, mode, updates.ToString(System.Globalization.CultureInfo.InvariantCulture), Items.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            {
                start.ArgumentList.Add(argument);
            }
            return new WriterProcess(Process.Start(start)!);
        }

        /// <summary>The keys acknowledged on complete lines (a line cut by a kill does not count).</summary>
        public string[] Acks()
        {
            string text;
            lock (_gate)
            {
                text = Encoding.UTF8.GetString([.. _bytes]);
            }

            return text[..(text.LastIndexOf('\n') + 1)].Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Where(line => line.StartsWith("ack ", StringComparison.Ordinal)).Select(line => line[4..]).ToArray();
        }

        public async Task<bool> WaitForAcksAsync(int count, TimeSpan timeout)
        {
            var clock = Stopwatch.StartNew();
            while (Acks().Length < count)
            {
                if (clock.Elapsed > timeout || _process.HasExited)
                {
                    return Acks().Length >= count;
                }

                await Task.Delay(5);
            }

            return true;
        }

        public async Task<bool> WaitForLineAsync(string line, TimeSpan timeout)
        {
            var clock = Stopwatch.StartNew();
            while (!Text().Split('\n').Contains(line))
            {
                if (clock.Elapsed > timeout || _process.HasExited)
                {
                    return false;
                }

                await Task.Delay(5);
            }

            return true;
        }

        public async Task<bool> WaitForExitAsync(TimeSpan timeout)
        {
            using var cancel = new CancellationTokenSource(timeout);
            try
            {
                await _process.WaitForExitAsync(cancel.Token);
                await _stdout;
                return true;
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        /// <summary>SIGKILL on Linux and macOS (TerminateProcess on Windows): no clean-up runs.</summary>
        public void Kill()
        {
            try
            {
                _process.Kill();
            }
            catch (InvalidOperationException)
            {
                // It had already exited.
            }
        }

        public string Describe() =>
            $"exit {(_process.HasExited ? _process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) : "-")}; stdout: {Text()}; stderr: {(_stderr.IsCompleted ? _stderr.Result : "")}";

        public void Dispose()
        {
            Kill();
            _process.WaitForExit(10_000);
            _process.Dispose();
        }

        private string Text()
        {
            lock (_gate)
            {
                return Encoding.UTF8.GetString([.. _bytes]);
            }
        }

        private async Task Pump(Stream stream)
        {
            var buffer = new byte[4096];
            int read;
            while ((read = await stream.ReadAsync(buffer)) > 0)
            {
                lock (_gate)
                {
                    _bytes.AddRange(buffer.AsSpan(0, read));
                }
            }
        }
    }
}
