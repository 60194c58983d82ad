using System.Buffers.Binary;
using System.Text;
using Dsh.Hashing.Interop;
using Dsh.Hashing.Persistence;

namespace Dsh.Hashing;

/// <summary>
/// A file of codes loaded as what it holds, told by its first bytes: a Dsh index of kind <c>FLAT</c> (a
/// <see cref="HammingIndex"/>) or <c>MIHX</c> (a <see cref="MultiIndexHashIndex"/>), a gallery (a <see cref="Gallery"/>,
/// the Dsh index format version 2), or a FAISS binary index (<c>IBxF</c>, <c>IBMp</c>, <c>IBM2</c>; read into a
/// <see cref="HammingIndex"/>). For a program that is handed a path and should search whatever is there.
/// </summary>
/// <remarks>
/// <para>Exactly one of <see cref="Index"/> and <see cref="Gallery"/> is set. The file is read by the loader of its kind
/// (<see cref="HammingIndex.Load(string)"/>, <see cref="MultiIndexHashIndex.Load(string)"/>,
/// <see cref="Hashing.Gallery.Load(string)"/>, <see cref="FaissBinaryIndexFile.ReadHammingIndex"/>), which checks all
/// of it.</para>
/// <para>A version 1 <c>FLAT</c> index is loaded as a <see cref="HammingIndex"/> even when an old catalog
/// (<c>PATH.catalog.json</c>) lies next to it; <see cref="Hashing.Gallery.Load(string)"/> reads the pair as a gallery.</para>
/// </remarks>
public sealed class HammingIndexFile
{
    private static readonly string[] FaissKinds = ["IBxF", "IBMp", "IBM2"];

    private HammingIndexFile(string path, IHammingIndex? index, Gallery? gallery)
    {
        Path = path;
        Index = index;
        Gallery = gallery;
    }

    /// <summary>The full path of the file.</summary>
    public string Path { get; }

    /// <summary>The index, for a <c>FLAT</c> or <c>MIHX</c> index or a FAISS file; null for a gallery.</summary>
    public IHammingIndex? Index { get; }

    /// <summary>The gallery, for a gallery file; null otherwise.</summary>
    public Gallery? Gallery { get; }

    /// <summary>The code length of the codes in the file.</summary>
    public int CodeLength => Index?.CodeLength ?? Gallery!.CodeLength;

    /// <summary>Loads the index or gallery in <paramref name="path"/>, whichever kind it holds.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The file with its <see cref="Index"/> or its <see cref="Gallery"/>.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is of no kind this library reads, or is truncated or damaged; the message names the file and says what is wrong.</exception>
    public static HammingIndexFile Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string full = System.IO.Path.GetFullPath(path);
        Span<byte> head = stackalloc byte[10]; // magic, kind and version of a Dsh index; a FAISS fourcc
        int got;
        using (var stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1))
        {
            got = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }

        head = head[..got];
        try
        {
            return Dispatch(full, head);
        }
        catch (InvalidDataException e) when (!e.Message.Contains(full, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"'{full}': {e.Message}", e);
        }
    }

    private static HammingIndexFile Dispatch(string full, ReadOnlySpan<byte> head)
    {
        if (head.IsEmpty)
        {
            throw new InvalidDataException($"'{full}' is empty; expected a Dsh index, a gallery or a FAISS binary index.");
        }

        string fourcc = head.Length >= 4 && IsPrintable(head[..4]) ? Encoding.ASCII.GetString(head[..4]) : "";
        if (fourcc == "DSHI")
        {
            if (head.Length < 10)
            {
                throw new InvalidDataException($"'{full}' is a truncated Dsh index: it ends after {head.Length} bytes, inside the header.");
            }

            string kind = IsPrintable(head[4..8]) ? Encoding.ASCII.GetString(head[4..8]) : "0x" + Convert.ToHexString(head[4..8]);
            ushort version = BinaryPrimitives.ReadUInt16LittleEndian(head[8..]);
            return kind switch
            {
                HammingIndex.FileKind when version == IndexFile.VersionWithMetadata => new(full, null, Gallery.Load(full)),
                HammingIndex.FileKind => new(full, HammingIndex.Load(full), null), // version 1, or a version the loader explains
                MultiIndexHashIndex.FileKind => new(full, MultiIndexHashIndex.Load(full), null),
                _ => throw new InvalidDataException(
                    $"'{full}' is a Dsh index of kind '{kind}', which this library does not know (it reads '{HammingIndex.FileKind}' and '{MultiIndexHashIndex.FileKind}'): the file is newer than this library, or damaged."),
            };
        }

        if (Array.IndexOf(FaissKinds, fourcc) >= 0)
        {
            return new(full, FaissBinaryIndexFile.ReadHammingIndex(full), null);
        }

        throw new InvalidDataException(
            $"'{full}' is not a Dsh index, gallery or FAISS binary index: it starts with 0x{Convert.ToHexString(head[..Math.Min(head.Length, 8)])}, " +
            $"not \"DSHI\" or a FAISS binary index type ({string.Join(", ", FaissKinds)}).");
    }

    private static bool IsPrintable(ReadOnlySpan<byte> bytes)
    {
        foreach (byte b in bytes)
        {
            if (b is < 0x20 or >= 0x7F)
            {
                return false;
            }
        }

        return true;
    }
}
