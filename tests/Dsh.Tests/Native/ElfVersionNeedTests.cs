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

    [Fact]
    public void MarkWeakOnFile_RewritesACopyAndLeavesOtherLinksAlone()
    {
        string dir = Directory.CreateTempSubdirectory("dsh-elf-").FullName;
        try
        {
            string shared = Path.Combine(dir, "shared.so");
            string output = Path.Combine(dir, "libLibTorchSharp.so");
            File.Copy(NuGetPaths.ShippedLibTorchSharp, shared);
            File.CreateSymbolicLink(Path.Combine(dir, "link.so"), shared);
            File.Copy(shared, output);
            var stamp = new DateTime(2026, 5, 7, 12, 0, 0, DateTimeKind.Utc);
            File.SetLastWriteTimeUtc(output, stamp);

            Assert.Equal(ElfPatchOutcome.Patched, ElfVersionNeed.MarkWeak(output, Lib, Version));
            Assert.Equal(stamp, File.GetLastWriteTimeUtc(output)); // so MSBuild's incremental copy leaves it alone
            Assert.Equal(ElfPatchOutcome.AlreadyWeak, ElfVersionNeed.MarkWeak(output, Lib, Version));
            Assert.False(ElfVersionNeed.NeedsStrongly(File.ReadAllBytes(output), Lib, Version));
            Assert.True(ElfVersionNeed.NeedsStrongly(File.ReadAllBytes(shared), Lib, Version));
            Assert.Equal(new FileInfo(shared).Length, new FileInfo(output).Length);
            Assert.False(File.Exists(output + ".dsh-patch.tmp"));
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
        var random = new Random(5);
        for (int trial = 0; trial < 300; trial++)
        {
            byte[] bytes = (byte[])original.Clone();
            // Corrupt the ELF header and the section header table, where the walk reads.
            ulong shoff = BitConverter.ToUInt64(bytes, 0x28);
            int at = random.Next(2) == 0 ? random.Next(0x40) : (int)shoff + random.Next(bytes.Length - (int)shoff);
            bytes[at] = (byte)random.Next(256);
            try
            {
                ElfVersionNeed.MarkWeak(bytes, Lib, Version);
            }
            catch (InvalidDataException)
            {
            }
        }
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
