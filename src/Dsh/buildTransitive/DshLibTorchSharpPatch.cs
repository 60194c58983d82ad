// Compiled twice: by MSBuild's RoslynCodeTaskFactory from Dsh.targets (the build task below), and into
// Dsh.Tests with DSH_ELF_PATCHER_ONLY defined (the ELF code only), so the same bytes that ship are tested.
// Plain C# on the netstandard2.0 surface (the task factory compiles against it): no Python, no network.
#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace Dsh.Build
{
    /// <summary>What <see cref="ElfVersionNeed.MarkWeak"/> found.</summary>
    public enum ElfPatchOutcome
    {
        /// <summary>The version need was strong and is now marked weak.</summary>
        Patched,
        /// <summary>The version need was already weak: nothing changed.</summary>
        AlreadyWeak,
        /// <summary>The file does not ask for that version of that library: nothing changed.</summary>
        NotFound,
    }

    /// <summary>
    /// Marks one version need (<c>Elf64_Vernaux</c> in <c>.gnu.version_r</c>) of an ELF64 little-endian shared
    /// library as weak (<c>VER_FLG_WEAK</c>), so the dynamic linker only warns when the version is missing.
    /// The entry is found by walking the section headers and the <c>Verneed</c>/<c>Vernaux</c> chains, never
    /// by a fixed offset; only its two flag bytes change.
    /// </summary>
    public static class ElfVersionNeed
    {
        /// <summary><c>VER_FLG_WEAK</c>.</summary>
        public const ushort WeakFlag = 0x2;
        private const uint ShtGnuVerneed = 0x6ffffffe;

        /// <summary>Marks <paramref name="version"/> of <paramref name="library"/> weak in <paramref name="elf"/> (in place).</summary>
        /// <exception cref="InvalidDataException">The bytes are not a well-formed ELF64 little-endian file.</exception>
        public static ElfPatchOutcome MarkWeak(byte[] elf, string library, string version)
        {
            int flagsOffset = FindVernauxFlags(elf, library, version);
            if (flagsOffset < 0)
            {
                return ElfPatchOutcome.NotFound;
            }
            ushort flags = ReadU16(elf, flagsOffset);
            if ((flags & WeakFlag) != 0)
            {
                return ElfPatchOutcome.AlreadyWeak;
            }
            flags |= WeakFlag;
            elf[flagsOffset] = (byte)flags;
            elf[flagsOffset + 1] = (byte)(flags >> 8);
            return ElfPatchOutcome.Patched;
        }

        /// <summary>Whether <paramref name="elf"/> needs <paramref name="version"/> of <paramref name="library"/> as a strong (non-weak) version.</summary>
        public static bool NeedsStrongly(byte[] elf, string library, string version)
        {
            int flagsOffset = FindVernauxFlags(elf, library, version);
            return flagsOffset >= 0 && (ReadU16(elf, flagsOffset) & WeakFlag) == 0;
        }

        /// <summary>
        /// Patches the file at <paramref name="path"/>: reads it, marks the entry weak and, when something changed,
        /// writes a sibling temporary file and renames it over the original (so a hard link to a shared copy, such
        /// as the NuGet cache, is never written through).
        /// </summary>
        public static ElfPatchOutcome MarkWeak(string path, string library, string version)
        {
            byte[] bytes = File.ReadAllBytes(path);
            ElfPatchOutcome outcome = MarkWeak(bytes, library, version);
            if (outcome == ElfPatchOutcome.Patched)
            {
                // Copy (keeps the file mode), rewrite the copy, rename it over the original, and keep the original
                // time stamp: same size and time make MSBuild's incremental copy skip the file on the next build,
                // instead of copying the shipped bytes back and patching again.
                DateTime written = File.GetLastWriteTimeUtc(path);
                string temp = path + "." + Guid.NewGuid().ToString("N") + ".dsh-patch.tmp";
                try
                {
                    File.Copy(path, temp, overwrite: true);
                    File.WriteAllBytes(temp, bytes);
                    File.Replace(temp, path, null);
                    File.SetLastWriteTimeUtc(path, written);
                }
                finally
                {
                    if (File.Exists(temp))
                    {
                        File.Delete(temp);
                    }
                }
            }
            return outcome;
        }

        /// <summary>Returns the file offset of <c>vna_flags</c> of the matching entry, or -1.</summary>
        private static int FindVernauxFlags(byte[] elf, string library, string version)
        {
            try
            {
                return Walk(elf, library, version);
            }
            catch (Exception e) when (e is OverflowException or IndexOutOfRangeException or ArgumentException)
            {
                throw new InvalidDataException("Malformed ELF version-need table: " + e.Message, e);
            }
        }

        private static int Walk(byte[] elf, string library, string version)
        {
            if (elf.Length < 64 || elf[0] != 0x7F || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            {
                throw new InvalidDataException("Not an ELF file (bad magic).");
            }
            if (elf[4] != 2 || elf[5] != 1)
            {
                throw new InvalidDataException("Only ELF64 little-endian files are supported.");
            }
            ulong shoff = ReadU64(elf, 0x28);
            int shentsize = ReadU16(elf, 0x3A);
            int shnum = ReadU16(elf, 0x3C);
            if (shentsize != 64 || shoff == 0 || shoff + (ulong)shnum * 64 > (ulong)elf.Length)
            {
                throw new InvalidDataException("ELF section header table lies outside the file.");
            }
            for (int i = 0; i < shnum; i++)
            {
                int sh = (int)shoff + i * 64; // shoff + shnum·64 ≤ file length was checked above
                if (ReadU32(elf, sh + 4) != ShtGnuVerneed)
                {
                    continue;
                }
                int sectionStart = CheckedOffset(elf, ReadU64(elf, sh + 0x18));
                ulong size = ReadU64(elf, sh + 0x20);
                if (size > (ulong)elf.Length)
                {
                    throw new InvalidDataException(".gnu.version_r is larger than the file.");
                }
                int sectionEnd = CheckedOffset(elf, (ulong)sectionStart + size);
                uint link = ReadU32(elf, sh + 0x28);
                uint count = ReadU32(elf, sh + 0x2C);
                if (link >= (uint)shnum)
                {
                    throw new InvalidDataException(".gnu.version_r links to a missing string table.");
                }
                int strtab = CheckedOffset(elf, ReadU64(elf, (int)shoff + (int)link * 64 + 0x18));
                int verneed = sectionStart;
                for (uint n = 0; n < count; n++)
                {
                    RequireRange(verneed, 16, sectionStart, sectionEnd);
                    int auxCount = ReadU16(elf, verneed + 2);
                    string file = ReadCString(elf, strtab, ReadU32(elf, verneed + 4));
                    int aux = Advance(verneed, ReadU32(elf, verneed + 8), sectionEnd);
                    for (int a = 0; a < auxCount; a++)
                    {
                        RequireRange(aux, 16, sectionStart, sectionEnd);
                        if (file == library && ReadCString(elf, strtab, ReadU32(elf, aux + 8)) == version)
                        {
                            return aux + 4;
                        }
                        uint nextAux = ReadU32(elf, aux + 12);
                        if (nextAux == 0)
                        {
                            break;
                        }
                        aux = Advance(aux, nextAux, sectionEnd);
                    }
                    uint next = ReadU32(elf, verneed + 12);
                    if (next == 0)
                    {
                        break;
                    }
                    verneed = Advance(verneed, next, sectionEnd);
                }
            }
            return -1;
        }

        /// <summary>offset + relative, which must stay inside the section.</summary>
        private static int Advance(int offset, uint relative, int sectionEnd)
        {
            long next = (long)offset + relative;
            if (next >= sectionEnd)
            {
                throw new InvalidDataException(".gnu.version_r link points outside its section.");
            }
            return (int)next;
        }

        private static void RequireRange(int offset, int length, int start, int end)
        {
            if (offset < start || offset + length > end)
            {
                throw new InvalidDataException(".gnu.version_r entry lies outside its section.");
            }
        }

        private static int CheckedOffset(byte[] elf, ulong offset)
        {
            if (offset > (ulong)elf.Length)
            {
                throw new InvalidDataException("ELF offset lies outside the file.");
            }
            return (int)offset;
        }

        private static string ReadCString(byte[] elf, int table, uint offset)
        {
            long start = (long)table + offset;
            if (start >= elf.Length)
            {
                throw new InvalidDataException("ELF string offset lies outside the file.");
            }
            int end = Array.IndexOf(elf, (byte)0, (int)start);
            if (end < 0)
            {
                throw new InvalidDataException("Unterminated ELF string.");
            }
            return Encoding.ASCII.GetString(elf, (int)start, end - (int)start);
        }

        private static ushort ReadU16(byte[] b, int o) => o < 0 || o + 2 > b.Length
            ? throw new InvalidDataException("ELF read past the end of the file.")
            : (ushort)(b[o] | b[o + 1] << 8);

        private static uint ReadU32(byte[] b, int o) => o < 0 || o + 4 > b.Length
            ? throw new InvalidDataException("ELF read past the end of the file.")
            : (uint)(b[o] | b[o + 1] << 8 | b[o + 2] << 16 | b[o + 3] << 24);

        private static ulong ReadU64(byte[] b, int o) => ReadU32(b, o) | (ulong)ReadU32(b, o + 4) << 32;
    }

    /// <summary>Whether this machine's C++ runtime provides a symbol version.</summary>
    public static class LibStdCxx
    {
        /// <summary>Where distributions put <c>libstdc++.so.6</c>.</summary>
        public static readonly string[] CandidatePaths =
        {
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
            "/lib/aarch64-linux-gnu/libstdc++.so.6",
            "/usr/lib64/libstdc++.so.6",
            "/lib64/libstdc++.so.6",
            "/usr/lib/libstdc++.so.6",
        };

        /// <summary>The first existing libstdc++ of <see cref="CandidatePaths"/>, or null.</summary>
        public static string? Find()
        {
            foreach (string path in CandidatePaths)
            {
                if (File.Exists(path))
                {
                    return path;
                }
            }
            return null;
        }

        /// <summary>Whether the file defines the version (its name occurs NUL-terminated in the file).</summary>
        public static bool Provides(string path, string version)
        {
            byte[] bytes = File.ReadAllBytes(path);
            byte[] needle = Encoding.ASCII.GetBytes(version + "\0");
            for (int i = Array.IndexOf(bytes, needle[0]); i >= 0 && i <= bytes.Length - needle.Length; i = Array.IndexOf(bytes, needle[0], i + 1))
            {
                int j = 1;
                while (j < needle.Length && bytes[i + j] == needle[j])
                {
                    j++;
                }
                if (j == needle.Length)
                {
                    return true;
                }
            }
            return false;
        }
    }

#if !DSH_ELF_PATCHER_ONLY
    /// <summary>
    /// MSBuild task: marks <c>GLIBCXX_3.4.32</c> weak in every <c>libLibTorchSharp.so</c> under <see cref="Directory"/>
    /// (a build or publish output): always (Mode "always", the default: the output then loads on older distributions
    /// wherever it was built), only when this machine's libstdc++ lacks that version (Mode "auto"), or never (Mode "never").
    /// </summary>
    public sealed class DshPatchLibTorchSharp : Microsoft.Build.Utilities.Task
    {
        private const string Library = "libstdc++.so.6";
        private const string Version = "GLIBCXX_3.4.32";

        /// <summary>The output folder to search (recursively).</summary>
        [Microsoft.Build.Framework.Required]
        public string Directory { get; set; } = "";

        /// <summary>always (the default) | auto | never.</summary>
        public string Mode { get; set; } = "always";

        /// <summary>The NuGet package root: files below it are never touched.</summary>
        public string PackageRoot { get; set; } = "";

        /// <inheritdoc />
        public override bool Execute()
        {
            string mode = Mode.Trim().ToLowerInvariant();
            if (mode == "never")
            {
                return true;
            }
            if (mode is not ("auto" or "always" or ""))
            {
                Log.LogError($"DshPatchLibTorchSharp must be auto, always or never, not '{Mode}'.");
                return false;
            }
            if (!System.IO.Directory.Exists(Directory))
            {
                return true;
            }
            string? libstdcxx = LibStdCxx.Find();
            if (mode == "auto" && libstdcxx != null && LibStdCxx.Provides(libstdcxx, Version))
            {
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low,
                    $"Dsh: {libstdcxx} provides {Version}; libLibTorchSharp.so left as shipped.");
                return true;
            }
            string root = PackageRoot.Length == 0 ? "" : Path.GetFullPath(PackageRoot);
            var patched = new List<string>();
            foreach (string file in System.IO.Directory.EnumerateFiles(Directory, "libLibTorchSharp.so", SearchOption.AllDirectories))
            {
                string full = Path.GetFullPath(file);
                if (root.Length > 0 && full.StartsWith(root, StringComparison.Ordinal))
                {
                    continue; // never the shared package cache
                }
                try
                {
                    if (ElfVersionNeed.MarkWeak(full, Library, Version) == ElfPatchOutcome.Patched)
                    {
                        patched.Add(full);
                    }
                }
                catch (Exception e)
                {
                    Log.LogWarning(null, "DSH001", null, full, 0, 0, 0, 0,
                        $"Dsh: could not patch {full}: {e.Message}. TorchSharp may fail to load on this machine.");
                }
            }
            if (patched.Count > 0)
            {
                string why = mode == "auto"
                    ? (libstdcxx == null ? "no libstdc++.so.6 found" : $"{libstdcxx} lacks it")
                    : "so it loads on Debian 12 / Ubuntu 22.04 too";
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.High,
                    $"Dsh: marked {Version} weak in {patched.Count} libLibTorchSharp.so cop{(patched.Count == 1 ? "y" : "ies")} under {Directory} ({why}).");
            }
            return !Log.HasLoggedErrors;
        }
    }
#endif
}
