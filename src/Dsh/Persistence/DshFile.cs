using System.Buffers.Binary;
using System.Globalization;
using System.IO.Hashing;
using System.Text;
using Dsh.Hashing.Persistence;
using Dsh.Model;

namespace Dsh.Persistence;

/// <summary>
/// The container shared by model files and checkpoints: <c>"DSHM"</c>, format version (u16), kind (u16), JSON
/// header (i32 length + UTF-8), a TorchSharp payload (tensors written with a leave-open <see cref="BinaryWriter"/>),
/// and an XxHash3 of every preceding byte (u64). Written atomically (temp file, flush, rename); read only after
/// the checksum matches, so a truncated or damaged file is rejected before any tensor is parsed.
/// </summary>
internal static class DshFile
{
    public const ushort FormatVersion = 1;
    private static readonly byte[] Magic = "DSHM"u8.ToArray();
    private const int HeaderFixed = 4 + 2 + 2 + 4;

    public static void Write(string path, DshFileKind kind, string json, Action<BinaryWriter> payload)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string full = Path.GetFullPath(path);
        string? dir = Path.GetDirectoryName(full);
        if (dir is not null)
        {
            Directory.CreateDirectory(dir);
        }
        // AtomicFile: a temporary file in the same folder, flushed, renamed over the target, the folder synced; leftovers
        // of writers that crashed are removed.
        AtomicFile.Write(full, file =>
        {
            var hasher = new XxHash3();
            using (var hashing = new HashingWriteStream(file, hasher))
            using (var writer = new BinaryWriter(hashing, Encoding.UTF8, leaveOpen: true))
            {
                byte[] jsonBytes = Encoding.UTF8.GetBytes(json);
                writer.Write(Magic);
                writer.Write(FormatVersion);
                writer.Write((ushort)kind);
                writer.Write(jsonBytes.Length);
                writer.Write(jsonBytes);
                payload(writer);
                writer.Flush();
            }
            Span<byte> trailer = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(trailer, hasher.GetCurrentHashAsUInt64());
            file.Write(trailer);
        });
    }

    /// <summary>Checks the file and returns its JSON header and a reader positioned at the payload (owning the stream).</summary>
    /// <param name="path">The file.</param>
    /// <param name="expected">The kind it must be.</param>
    /// <param name="maxHeaderBytes">The largest JSON header read (a longer one is refused before it is read).</param>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Not a Dsh file, another kind, a newer version, a header over the limit, or damaged.</exception>
    public static (string Json, BinaryReader Payload) Open(string path, DshFileKind expected, int maxHeaderBytes)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No Dsh {Describe(expected)} at {path}.", path);
        }
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        try
        {
            long length = stream.Length;
            Span<byte> head = stackalloc byte[HeaderFixed];
            if (length < HeaderFixed + 8 || stream.ReadAtLeast(head, HeaderFixed, throwOnEndOfStream: false) < HeaderFixed
                || !head[..4].SequenceEqual(Magic))
            {
                throw new InvalidDataException($"{path} is not a Dsh {Describe(expected)} (bad magic or too short).");
            }
            ushort version = BinaryPrimitives.ReadUInt16LittleEndian(head[4..]);
            var kind = (DshFileKind)BinaryPrimitives.ReadUInt16LittleEndian(head[6..]);
            int jsonLength = BinaryPrimitives.ReadInt32LittleEndian(head[8..]);
            if (version != FormatVersion)
            {
                throw new InvalidDataException($"{path} has format version {version}; this library reads version {FormatVersion}.");
            }
            if (kind != expected)
            {
                throw new InvalidDataException($"{path} is a Dsh {Describe(kind)}, not a {Describe(expected)}.");
            }
            if (jsonLength > maxHeaderBytes)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                    $"{path}: its header is {jsonLength:N0} bytes, more than the limit of {maxHeaderBytes:N0} (DshModelLoadOptions.MaxHeaderBytes)."));
            }
            if (jsonLength < 2 || jsonLength > length - HeaderFixed - 8)
            {
                throw new InvalidDataException($"{path} is damaged (header length {jsonLength}).");
            }
            VerifyChecksum(stream, length, path);
            stream.Position = HeaderFixed;
            byte[] json = new byte[jsonLength];
            stream.ReadExactly(json);
            var reader = new BinaryReader(new BoundedReadStream(stream, length - 8), Encoding.UTF8, leaveOpen: false);
            return (Encoding.UTF8.GetString(json), reader);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    private static void VerifyChecksum(FileStream stream, long length, string path)
    {
        var hasher = new XxHash3();
        byte[] buffer = new byte[1 << 20];
        stream.Position = 0;
        long remaining = length - 8;
        while (remaining > 0)
        {
            int read = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, remaining));
            if (read <= 0)
            {
                throw new InvalidDataException($"{path} is truncated.");
            }
            hasher.Append(buffer.AsSpan(0, read));
            remaining -= read;
        }
        Span<byte> trailer = stackalloc byte[8];
        stream.ReadExactly(trailer);
        if (BinaryPrimitives.ReadUInt64LittleEndian(trailer) != hasher.GetCurrentHashAsUInt64())
        {
            throw new InvalidDataException($"{path} is damaged: its checksum does not match (truncated or modified file).");
        }
    }

    private static string Describe(DshFileKind kind) => kind switch
    {
        DshFileKind.Model => "model file",
        DshFileKind.Checkpoint => "checkpoint",
        _ => $"file of kind {(int)kind}",
    };
}

/// <summary>What a <see cref="DshFile"/> holds.</summary>
internal enum DshFileKind : ushort
{
    Model = 1,
    Checkpoint = 2,
}
