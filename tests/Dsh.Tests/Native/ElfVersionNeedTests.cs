using Dsh.Build;
using Dsh.Tests.Support;

namespace Dsh.Tests.Native;

/// <summary>
/// The ELF patcher that Dsh.targets runs (the same source file), on the libLibTorchSharp.so TorchSharp ships
/// (read from the NuGet cache, never written) and on damaged copies.
/// </summary>
public class ElfVersionNeedTests
{
    private const string Lib = "libstdc++.so.6";
    private const string Version = "GLIBCXX_3.4.32";

    private static byte[] Shipped()
    {
        string path = NuGetPaths.ShippedLibTorchSharp;
        Assert.True(File.Exists(path), $"{path} not restored");
        return File.ReadAllBytes(path);
    }

    [Fact]
    public void ShippedLibrary_NeedsTheVersionStrongly()
    {
        Assert.True(ElfVersionNeed.NeedsStrongly(Shipped(), Lib, Version));
    }

    [Fact]
    public void MarkWeak_ChangesOnlyTheFlagsOfThatEntry_AndIsIdempotent()
    {
        byte[] original = Shipped();
        byte[] patched = (byte[])original.Clone();

        Assert.Equal(ElfPatchOutcome.Patched, ElfVersionNeed.MarkWeak(patched, Lib, Version));

        int[] changed = Enumerable.Range(0, original.Length).Where(i => original[i] != patched[i]).ToArray();
        int offset = Assert.Single(changed);
        Assert.Equal(original[offset] | ElfVersionNeed.WeakFlag, patched[offset]);
        Assert.False(ElfVersionNeed.NeedsStrongly(patched, Lib, Version));

        byte[] again = (byte[])patched.Clone();
        Assert.Equal(ElfPatchOutcome.AlreadyWeak, ElfVersionNeed.MarkWeak(again, Lib, Version));
        Assert.Equal(patched, again);
    }

    [Fact]
    public void OtherVersionsAndLibraries_AreNotTouched()
    {
        byte[] bytes = Shipped();
        byte[] copy = (byte[])bytes.Clone();
        Assert.Equal(ElfPatchOutcome.NotFound, ElfVersionNeed.MarkWeak(copy, Lib, "GLIBCXX_9.9.99"));
        Assert.Equal(ElfPatchOutcome.NotFound, ElfVersionNeed.MarkWeak(copy, "libnotthere.so.1", Version));
        Assert.Equal(bytes, copy);
        // A version the library needs from libc is found under libc only.
        Assert.True(ElfVersionNeed.NeedsStrongly(bytes, "libc.so.6", "GLIBC_2.2.5"));
        Assert.False(ElfVersionNeed.NeedsStrongly(bytes, Lib, "GLIBC_2.2.5"));
    }

    [Theory]
    [InlineData("symbolic")]
    [InlineData("hard")]
    public void MarkWeakOnFile_NeverWritesThroughALinkToASharedCopy(string link)
    {
        string dir = Directory.CreateTempSubdirectory("dsh-elf-").FullName;
        try
        {
            // "shared" plays the NuGet cache; the output copy is a link to it.
            string shared = Path.Combine(dir, "shared.so");
            string output = Path.Combine(dir, "libLibTorchSharp.so");
            File.Copy(NuGetPaths.ShippedLibTorchSharp, shared);
            if (link == "symbolic")
            {
                File.CreateSymbolicLink(output, shared);
            }
            else
            {
                var ln = System.Diagnostics.Process.Start("ln", new[] { shared, output })!;
                ln.WaitForExit();
                Assert.Equal(0, ln.ExitCode);
            }
            var stamp = new DateTime(2026, 5, 7, 12, 0, 0, DateTimeKind.Utc);
            File.SetLastWriteTimeUtc(shared, stamp);

            Assert.Equal(ElfPatchOutcome.Patched, ElfVersionNeed.MarkWeak(output, Lib, Version));
            Assert.Equal(ElfPatchOutcome.AlreadyWeak, ElfVersionNeed.MarkWeak(output, Lib, Version));

            Assert.False(ElfVersionNeed.NeedsStrongly(File.ReadAllBytes(output), Lib, Version));
            Assert.True(ElfVersionNeed.NeedsStrongly(File.ReadAllBytes(shared), Lib, Version), "the shared copy was written through the link");
            Assert.Null(new FileInfo(output).LinkTarget);
            if (link == "hard")
            {
                Assert.Equal(stamp, File.GetLastWriteTimeUtc(output)); // so MSBuild's incremental copy leaves it alone
            }
            Assert.Equal(new FileInfo(shared).Length, new FileInfo(output).Length);
            Assert.Empty(Directory.GetFiles(dir, "*.dsh-patch.tmp"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void NotElf_Throws()
    {
        Assert.Throws<InvalidDataException>(() => ElfVersionNeed.MarkWeak(new byte[100], Lib, Version));
        byte[] elf32 = Shipped()[..4096];
        elf32[4] = 1; // ELFCLASS32
        Assert.Throws<InvalidDataException>(() => ElfVersionNeed.MarkWeak(elf32, Lib, Version));
    }

    [Theory]
    [InlineData(64)]
    [InlineData(4096)]
    [InlineData(100_000)]
    public void TruncatedFile_ThrowsInvalidData(int length)
    {
        byte[] truncated = Shipped()[..length];
        Assert.Throws<InvalidDataException>(() => ElfVersionNeed.MarkWeak(truncated, Lib, Version));
    }

    [Fact]
    public void RandomCorruption_NeverThrowsAnythingButInvalidData()
    {
        byte[] original = Shipped();
        (int verneed, int verneedSize, int dynstr, int dynstrSize) = VersionSections(original);
        ulong shoff = BitConverter.ToUInt64(original, 0x28);
        var random = new Random(5);
        int threw = 0;
        for (int trial = 0; trial < 2_000; trial++)
        {
            byte[] bytes = (byte[])original.Clone();
            // Corrupt where the walk reads: ELF header, section headers, the version-need table, the strings.
            for (int n = random.Next(1, 4); n > 0; n--)
            {
                int at = random.Next(4) switch
                {
                    0 => random.Next(0x40),
                    1 => (int)shoff + random.Next(original.Length - (int)shoff),
                    2 => verneed + random.Next(verneedSize),
                    _ => dynstr + random.Next(Math.Min(dynstrSize, 4096)),
                };
                bytes[at] = random.Next(3) == 0 ? (byte)0xFF : (byte)random.Next(256);
            }
            try
            {
                ElfVersionNeed.MarkWeak(bytes, Lib, Version);
            }
            catch (InvalidDataException)
            {
                threw++;
            }
        }
        Assert.True(threw > 50, $"only {threw} corruptions were detected: the fuzzing misses the table");
    }

    /// <summary>File offset and size of .gnu.version_r and of the string table it links to.</summary>
    private static (int Verneed, int VerneedSize, int Dynstr, int DynstrSize) VersionSections(byte[] elf)
    {
        int shoff = (int)BitConverter.ToUInt64(elf, 0x28);
        int shnum = BitConverter.ToUInt16(elf, 0x3C);
        for (int i = 0; i < shnum; i++)
        {
            int sh = shoff + i * 64;
            if (BitConverter.ToUInt32(elf, sh + 4) == 0x6ffffffe)
            {
                int link = (int)BitConverter.ToUInt32(elf, sh + 0x28);
                int str = shoff + link * 64;
                return ((int)BitConverter.ToUInt64(elf, sh + 0x18), (int)BitConverter.ToUInt64(elf, sh + 0x20),
                        (int)BitConverter.ToUInt64(elf, str + 0x18), (int)BitConverter.ToUInt64(elf, str + 0x20));
            }
        }
        throw new InvalidOperationException("no .gnu.version_r");
    }

    [Fact]
    public void LibStdCxxProbe_AgreesWithTheFileBytes()
    {
        string? path = LibStdCxx.Find();
        Assert.NotNull(path);
        Assert.True(LibStdCxx.Provides(path!, "GLIBCXX_3.4"));
        Assert.False(LibStdCxx.Provides(path!, "GLIBCXX_99.0.0"));
    }
}
