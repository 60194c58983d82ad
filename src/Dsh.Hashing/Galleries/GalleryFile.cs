using System.Buffers.Binary;
using System.Text;
using Dsh.Hashing.Indexes;
using Dsh.Hashing.Persistence;

namespace Dsh.Hashing.Galleries;

/// <summary>
/// A gallery on disk: a Dsh index file, version 2, kind FLAT (so <see cref="HammingIndex.Load(Stream)"/> reads
/// its codes), whose metadata section holds the items, row for row (all integers little-endian):
/// <code>
/// offset size  field
///  0      4    magic "GLRY"
///  4      4    reserved (0)
///  8      8    next id (above every id in the file)
/// 16      4    property count P (0..16)
/// 20      4    category count C (0..count)
/// 24      8    key bytes K (the sum of the key lengths)
/// 32           P properties: name length (1 byte, 1..32), ASCII name, value length (uint16, 1..4096), UTF-8 value
///              C categories: length (uint16, 1..1024), UTF-8 name
///              count × uint32: category of each row (0 = none, c = the c-th category)
///              count × uint16: key length of each row (1..4096)
///              K bytes: the keys, UTF-8, back to back
/// </code>
/// The section ends exactly after the keys. Property names are "model", "domain" and "root".
/// </summary>
internal static class GalleryFile
{
    /// <summary>The index kind a gallery file carries.</summary>
    public const string Kind = "FLAT";

    private const int FixedSize = 32;
    private const int MaxProperties = 16;
    private const int MaxPropertyName = 32;
    private static readonly byte[] Magic = "GLRY"u8.ToArray();

    /// <summary>Writes a gallery file.</summary>
    /// <returns>The file's last checksum, which covers all of it.</returns>
    public static ulong Write(Stream stream, GalleryRows rows, long generation)
    {
        byte[] metadata = Encode(rows);
        long[] ids = rows.Codes.Ids as long[] ?? [.. rows.Codes.Ids];
        return IndexFile.Write(stream, Kind, rows.Codes.CodeLength, ids, rows.Codes.Codes.Words, 0, generation, metadata);
    }

    /// <summary>The gallery in what <see cref="IndexFile.Read(Stream, string, bool)"/> returned.</summary>
    /// <exception cref="InvalidDataException">The file has no gallery metadata, or it breaks a rule.</exception>
    public static GalleryContents Read(IndexFile.Contents contents)
    {
        if (contents.Metadata is null)
        {
            throw new InvalidDataException($"Not a gallery: this is a plain Dsh index (version {contents.Version}) with codes but no item keys.");
        }

        if (contents.Metadata.Length == 0)
        {
            throw new InvalidDataException("Not a gallery: this Dsh index has codes but no item metadata.");
        }

        return Decode(contents.Metadata, contents.Store);
    }

    private static byte[] Encode(GalleryRows rows)
    {
        int count = rows.Keys.Length;
        var properties = new List<(string Name, string Value)>(3);
        AddIfSet(properties, "model", rows.Properties.Model);
        AddIfSet(properties, "domain", rows.Properties.Domain);
        AddIfSet(properties, "root", rows.Properties.Root);

        var categoryNumber = new Dictionary<string, uint>(StringComparer.Ordinal);
        var categories = new List<string>();
        var categoryOfRow = new uint[count];
        var keyLengths = new ushort[count];
        long keyBytes = 0;
        for (int row = 0; row < count; row++)
        {
            keyLengths[row] = checked((ushort)Encoding.UTF8.GetByteCount(rows.Keys[row]));
            keyBytes += keyLengths[row];
            string? category = rows.Categories[row];
            if (category is not null)
            {
                if (!categoryNumber.TryGetValue(category, out uint number))
                {
                    categories.Add(category);
                    number = (uint)categories.Count;
                    categoryNumber.Add(category, number);
                }

                categoryOfRow[row] = number;
            }
        }

        long total = FixedSize + (6L * count) + keyBytes;
        foreach ((string name, string value) in properties)
        {
            total += 1 + name.Length + 2 + Encoding.UTF8.GetByteCount(value);
        }

        foreach (string category in categories)
        {
            total += 2 + Encoding.UTF8.GetByteCount(category);
        }

        if (total > Array.MaxLength)
        {
            throw new InvalidOperationException($"The gallery's items need {total} bytes of metadata; a gallery file holds at most {Array.MaxLength} (about 2 GiB).");
        }

        byte[] buffer = GC.AllocateUninitializedArray<byte>((int)total);
        Span<byte> span = buffer;
        Magic.CopyTo(span);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], 0);
        BinaryPrimitives.WriteInt64LittleEndian(span[8..], rows.NextId);
        BinaryPrimitives.WriteInt32LittleEndian(span[16..], properties.Count);
        BinaryPrimitives.WriteInt32LittleEndian(span[20..], categories.Count);
        BinaryPrimitives.WriteInt64LittleEndian(span[24..], keyBytes);
        int at = FixedSize;
        foreach ((string name, string value) in properties)
        {
            span[at++] = (byte)name.Length;
            at += Encoding.ASCII.GetBytes(name, span[at..]);
            at = WriteString16(span, at, value);
        }

        foreach (string category in categories)
        {
            at = WriteString16(span, at, category);
        }

        for (int row = 0; row < count; row++, at += 4)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(span[at..], categoryOfRow[row]);
        }

        for (int row = 0; row < count; row++, at += 2)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(span[at..], keyLengths[row]);
        }

        for (int row = 0; row < count; row++)
        {
            at += Encoding.UTF8.GetBytes(rows.Keys[row], span[at..]);
        }

        return at == buffer.Length ? buffer : throw new InvalidOperationException($"Gallery metadata size mismatch: wrote {at} of {buffer.Length} bytes.");
    }

    private static GalleryContents Decode(byte[] metadata, CodeStore store)
    {
        var reader = new Reader(metadata);
        int count = store.Count;
        reader.Need(FixedSize, "its header");
        if (!metadata.AsSpan(0, 4).SequenceEqual(Magic))
        {
            throw Corrupt("the metadata does not start with \"GLRY\".");
        }

        if (BinaryPrimitives.ReadInt32LittleEndian(metadata.AsSpan(4)) != 0)
        {
            throw Corrupt("the reserved metadata bytes 4..7 are not zero.");
        }

        long nextId = BinaryPrimitives.ReadInt64LittleEndian(metadata.AsSpan(8));
        int propertyCount = BinaryPrimitives.ReadInt32LittleEndian(metadata.AsSpan(16));
        int categoryCount = BinaryPrimitives.ReadInt32LittleEndian(metadata.AsSpan(20));
        long keyBytes = BinaryPrimitives.ReadInt64LittleEndian(metadata.AsSpan(24));
        reader.Position = FixedSize;
        if (propertyCount < 0 || propertyCount > MaxProperties)
        {
            throw Corrupt($"property count {propertyCount} is outside 0..{MaxProperties}.");
        }

        if (categoryCount < 0 || categoryCount > count)
        {
            throw Corrupt($"category count {categoryCount} is outside 0..{count} (the item count).");
        }

        if (keyBytes < count || keyBytes > metadata.Length)
        {
            throw Corrupt($"key bytes {keyBytes} is outside {count}..{metadata.Length}.");
        }

        GalleryProperties properties = ReadProperties(ref reader, propertyCount);

        var categories = new string[categoryCount];
        var seen = new HashSet<string>(categoryCount, StringComparer.Ordinal);
        for (int c = 0; c < categoryCount; c++)
        {
            categories[c] = reader.String16(GalleryItem.MaxCategoryBytes, $"category {c + 1}");
            if (!seen.Add(categories[c]))
            {
                throw Corrupt($"the category {GalleryText.Quote(categories[c])} is listed twice.");
            }
        }

        ReadOnlySpan<byte> categoryOfRow = reader.Take(4L * count, "the category of each item");
        ReadOnlySpan<byte> keyLengths = reader.Take(2L * count, "the key length of each item");
        long sum = 0;
        for (int row = 0; row < count; row++)
        {
            sum += BinaryPrimitives.ReadUInt16LittleEndian(keyLengths[(2 * row)..]);
        }

        if (sum != keyBytes)
        {
            throw Corrupt($"the key lengths add up to {sum} bytes, the header says {keyBytes}.");
        }

        ReadOnlySpan<byte> keys = reader.Take(keyBytes, "the keys");
        if (reader.Position != metadata.Length)
        {
            throw Corrupt($"{metadata.Length - reader.Position} unexpected bytes follow the keys.");
        }

        // The keys are checked as one block (valid UTF-8, no control character), then decoded without checks.
        int bad = FirstBadKeyByte(keys);
        var keyOfRow = new string[count];
        var categoryNameOfRow = new string?[count];
        ReadOnlySpan<long> ids = store.Ids;
        long maxId = long.MinValue;
        int at = 0;
        for (int row = 0; row < count; row++)
        {
            int length = BinaryPrimitives.ReadUInt16LittleEndian(keyLengths[(2 * row)..]);
            if (length == 0 || length > GalleryItem.MaxKeyBytes)
            {
                throw Corrupt($"the key of id {ids[row]} is {length} bytes long; keys are 1..{GalleryItem.MaxKeyBytes} bytes.");
            }

            ReadOnlySpan<byte> keySpan = keys.Slice(at, length);
            string key = bad >= at && bad < at + length ? Decode(keySpan, $"the key of id {ids[row]}") : Encoding.UTF8.GetString(keySpan);
            at += length;
            uint category = BinaryPrimitives.ReadUInt32LittleEndian(categoryOfRow[(4 * row)..]);
            if (category > (uint)categoryCount)
            {
                throw Corrupt($"id {ids[row]} has category {category}; only {categoryCount} are listed.");
            }

            keyOfRow[row] = key;
            categoryNameOfRow[row] = category == 0 ? null : categories[category - 1];
            maxId = Math.Max(maxId, ids[row]);
        }

        if (nextId < 0 || (count > 0 && nextId <= maxId))
        {
            throw Corrupt($"the next id {nextId} is not above every id (the largest is {maxId}).");
        }

        return new GalleryContents(store, keyOfRow, categoryNameOfRow, nextId, properties);
    }

    private static GalleryProperties ReadProperties(ref Reader reader, int propertyCount)
    {
        var properties = new GalleryProperties();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int p = 0; p < propertyCount; p++)
        {
            int nameLength = reader.Take(1, $"property {p + 1}")[0];
            if (nameLength == 0 || nameLength > MaxPropertyName)
            {
                throw Corrupt($"property {p + 1} has a name of {nameLength} bytes; names are 1..{MaxPropertyName} bytes.");
            }

            string name = Encoding.ASCII.GetString(reader.Take(nameLength, $"the name of property {p + 1}"));
            string value = reader.String16(GalleryProperties.MaxValueBytes, $"the property '{name}'");
            if (!names.Add(name))
            {
                throw Corrupt($"the property '{name}' appears twice.");
            }

            properties = name switch
            {
                "model" => properties with { Model = value },
                "domain" => properties with { Domain = value },
                "root" => properties with { Root = value },
                _ => throw Corrupt($"the property {GalleryText.Quote(name)} is unknown to this version of Dsh.Hashing (a newer version wrote the file?)."),
            };
        }

        return properties;
    }

    private static void AddIfSet(List<(string, string)> properties, string name, string? value)
    {
        if (value is not null)
        {
            properties.Add((name, value));
        }
    }

    private static int WriteString16(Span<byte> span, int at, string value)
    {
        int length = Encoding.UTF8.GetBytes(value, span[(at + 2)..]);
        BinaryPrimitives.WriteUInt16LittleEndian(span[at..], checked((ushort)length));
        return at + 2 + length;
    }

    /// <summary>
    /// The offset of the first byte of <paramref name="keys"/> that may break a rule, or -1: where the UTF-8 stops
    /// being valid, or a control character (U+0000–U+001F, U+007F, or U+0080–U+009F, encoded C2 80–C2 9F) starts.
    /// A key that holds this offset is decoded strictly, for the exact message.
    /// </summary>
    private static int FirstBadKeyByte(ReadOnlySpan<byte> keys)
    {
        int first = System.Text.Unicode.Utf8.IsValid(keys) ? -1 : 0;
        if (first == 0)
        {
            System.Buffers.OperationStatus status = System.Text.Unicode.Utf8.ToUtf16(keys, new char[keys.Length], out int read, out _, replaceInvalidSequences: false);
            first = status == System.Buffers.OperationStatus.Done ? -1 : read;
        }

        int control = keys.IndexOfAnyInRange((byte)0x00, (byte)0x1F);
        int delete = keys.IndexOf((byte)0x7F);
        int c1 = -1;
        for (int from = 0; from < keys.Length;)
        {
            int lead = keys[from..].IndexOf((byte)0xC2);
            if (lead < 0 || from + lead + 1 >= keys.Length)
            {
                break;
            }

            if (keys[from + lead + 1] is >= 0x80 and <= 0x9F)
            {
                c1 = from + lead;
                break;
            }

            from += lead + 1;
        }

        int result = -1;
        foreach (int candidate in (ReadOnlySpan<int>)[first, control, delete, c1])
        {
            if (candidate >= 0 && (result < 0 || candidate < result))
            {
                result = candidate;
            }
        }

        return result;
    }

    /// <summary>Strict UTF-8 that follows the gallery's string rules (non-empty, no control characters).</summary>
    private static string Decode(ReadOnlySpan<byte> bytes, string what)
    {
        string value;
        try
        {
            value = GalleryText.Strict.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw Corrupt($"{what} is not valid UTF-8.");
        }

        string? problem = GalleryText.Problem(value, int.MaxValue);
        return problem is null ? value : throw Corrupt($"{what} {problem}.");
    }

    private static InvalidDataException Corrupt(string what) => new($"Corrupt gallery: {what}");

    /// <summary>Reads the metadata front to back; every length is checked against what is left.</summary>
    private ref struct Reader(byte[] data)
    {
        private readonly byte[] _data = data;

        public int Position { get; set; }

        public readonly void Need(long bytes, string what)
        {
            if (bytes > _data.Length - Position)
            {
                throw Corrupt($"the metadata ends inside {what} (needs {bytes} bytes at offset {Position}, {_data.Length - Position} are left).");
            }
        }

        public ReadOnlySpan<byte> Take(long bytes, string what)
        {
            Need(bytes, what);
            var span = new ReadOnlySpan<byte>(_data, Position, (int)bytes);
            Position += (int)bytes;
            return span;
        }

        public string String16(int maxBytes, string what)
        {
            int length = BinaryPrimitives.ReadUInt16LittleEndian(Take(2, what));
            if (length == 0 || length > maxBytes)
            {
                throw Corrupt($"{what} is {length} bytes long; 1..{maxBytes} are allowed.");
            }

            return Decode(Take(length, what), what);
        }
    }
}
