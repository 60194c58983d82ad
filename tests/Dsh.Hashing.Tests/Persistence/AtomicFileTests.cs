using Dsh.Hashing.Persistence;

namespace Dsh.Hashing.Tests.Persistence;

/// <summary>Temporary file names and the removal of what crashed writers left behind; the folder flush.</summary>
public sealed class AtomicFileTests : IDisposable
{
    /// <summary>Above Linux's largest pid (2^22): no process has it.</summary>
    private const int DeadPid = 2_147_483_000;

    private readonly string _folder = Directory.CreateTempSubdirectory("dsh-atomic-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void TheTemporaryFile_SitsNextToTheTarget_AndNamesTheWritingProcess()
    {
        string target = Path.Combine(_folder, "t.bin");
        string[] during = [];
        AtomicFile.Write(target, s =>
        {
            s.WriteByte(1);
            during = Directory.GetFiles(_folder);
        });

        string temp = Assert.Single(during);
        string name = Path.GetFileName(temp);
        Assert.StartsWith($".t.bin.{Environment.ProcessId}.{AtomicFile.HostTag}.", name);
        Assert.EndsWith(".tmp", name);
        Assert.Equal([target], Directory.GetFiles(_folder));
        Assert.Equal([1], File.ReadAllBytes(target));
    }

    [Fact]
    public void Write_RemovesTheLeftoversOfDeadWriters_AndNothingElse()
    {
        string host = AtomicFile.HostTag;
        string[] stale =
        [
            $".t.bin.{DeadPid}.{host}.0000abcd.tmp",                          // a writer of this machine that is gone
            Old($".t.bin.{DeadPid}.0badf00d.0000abce.tmp"),                  // another machine's, a day old
            Old($".t.bin.{Environment.ProcessId}.{host}.00000002.tmp"),      // untouched for a day: nobody writes it
            Old($".t.bin.{Guid.NewGuid():N}.tmp"),                           // the naming of older versions, a day old
            $".other.bin.{DeadPid}.{host}.0000abcd.tmp",                     // another target's, in the same folder
        ];
        string[] kept =
        [
            $".t.bin.{Environment.ProcessId}.{host}.00000001.tmp",           // this process (another thread may be writing it)
            $".t.bin.1.{host}.00000001.tmp",                                 // pid 1 always runs
            $".t.bin.{DeadPid}.0badf00d.0000abcd.tmp",                       // another machine's (a shared folder): only age tells
            $".t.bin.{Guid.NewGuid():N}.tmp",                                // older naming, recent
            "t.bin.backup",
            Old(".notes.tmp"),                                               // not a name this class gives
            Old($".t.bin.{DeadPid}.{host}.tmp"),
            Old($".t.bin.x{DeadPid}.{host}.0000abcd.tmp"),
        ];
        Assert.Equal(stale.Length + kept.Length, stale.Concat(kept).Distinct().Count());
        foreach (string name in kept.Where(n => !File.Exists(Path.Combine(_folder, n))))
        {
            File.WriteAllText(Path.Combine(_folder, name), "x");
        }

        AtomicFile.Write(Path.Combine(_folder, "t.bin"), s => s.WriteByte(7));

        string[] left = Directory.GetFiles(_folder).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;
        Assert.Equal(kept.Append("t.bin").Order(StringComparer.Ordinal), left);
    }

    [Fact]
    public void RemoveStaleTemporaryFiles_CountsWhatItRemovedAndTheEntries()
    {
        File.WriteAllText(Path.Combine(_folder, $".g.dshg.{DeadPid}.{AtomicFile.HostTag}.00000000.tmp"), "half");
        File.WriteAllText(Path.Combine(_folder, $".g.dshg.{DeadPid + 1}.{AtomicFile.HostTag}.00000000.tmp"), "half");
        File.WriteAllText(Path.Combine(_folder, "g.dshg"), "whole");
        Directory.CreateDirectory(Path.Combine(_folder, "sub"));
        Assert.Equal(2, AtomicFile.RemoveStaleTemporaryFiles(_folder, out int entries));
        Assert.Equal(4, entries);
        Assert.Equal(0, AtomicFile.RemoveStaleTemporaryFiles(_folder, out entries));
        Assert.Equal(2, entries);
    }

    [Fact]
    public void ALargeFolder_IsSearchedForLeftoversAtMostOnceAMinute()
    {
        for (int i = 0; i < 1001; i++)
        {
            File.WriteAllBytes(Path.Combine(_folder, $"map{i}.png"), []);
        }

        AtomicFile.Write(Path.Combine(_folder, "a.png"), s => s.WriteByte(1)); // searched: a large folder
        string leftover = Path.Combine(_folder, $".b.png.{DeadPid}.{AtomicFile.HostTag}.00000000.tmp");
        File.WriteAllText(leftover, "half");
        AtomicFile.Write(Path.Combine(_folder, "b.png"), s => s.WriteByte(1)); // not searched again so soon
        Assert.True(File.Exists(leftover));
        Assert.Equal(1, AtomicFile.RemoveStaleTemporaryFiles(_folder, out _));
    }

    [Fact]
    public void FsyncDirectory_OpensOnlyFolders()
    {
        if (!Posix.IsSupported)
        {
            return;
        }

        Posix.FsyncDirectory(_folder);
        string file = Path.Combine(_folder, "f");
        File.WriteAllText(file, "x");
        Assert.Contains("Cannot open the folder", Assert.Throws<IOException>(() => Posix.FsyncDirectory(file)).Message);
        Assert.Throws<IOException>(() => Posix.FsyncDirectory(Path.Combine(_folder, "missing")));
    }

    private string Old(string name)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllText(path, "x");
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow - AtomicFile.StaleAge - TimeSpan.FromMinutes(5));
        return name;
    }
}
