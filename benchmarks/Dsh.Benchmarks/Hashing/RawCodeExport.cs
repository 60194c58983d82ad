using System.Globalization;
using Dsh.Hashing;

namespace Dsh.Benchmarks.Hashing;

/// <summary>
/// Writes the exact database and query codes of <see cref="SearchBenchmarks"/> as "Dsh raw code" files
/// (no header, rows of bits/8 bytes in the FAISS layout) so that the FAISS peer runs on the same codes.
/// </summary>
internal static class RawCodeExport
{
    public static int Run(string[] args)
    {
        if (args.Length is < 4 or > 5
            || !int.TryParse(args[0], NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n <= 0
            || !int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out int bits) || bits <= 0 || bits % 8 != 0
            || (args.Length == 5 && !Enum.TryParse(args[4], ignoreCase: true, out CodeDistribution _)))
        {
            Console.Error.WriteLine("usage: export-codes N BITS DB_FILE QUERY_FILE [uniform|clustered]   (BITS a multiple of 8)");
            return 2;
        }

        CodeDistribution distribution = args.Length == 5 ? Enum.Parse<CodeDistribution>(args[4], ignoreCase: true) : CodeDistribution.Uniform;
        if (distribution == CodeDistribution.Uniform)
        {
            // SearchBenchmarks' codes.
            Write(args[2], CodeData.Generate(n, bits, distribution, SearchBenchmarks.DataSeed));
            Write(args[3], CodeData.Generate(SearchBenchmarks.Queries, bits, distribution, SearchBenchmarks.QuerySeed));
        }
        else
        {
            // MultiIndexHashBenchmarks' codes: queries are the rows after the first n, near the same centres.
            BinaryCodeSet all = CodeData.Generate(n + SearchBenchmarks.Queries, bits, distribution, SearchBenchmarks.DataSeed);
            int w = all.WordsPerCode;
            Write(args[2], BinaryCodeSet.FromWords(all.Words[..(n * w)], bits));
            Write(args[3], BinaryCodeSet.FromWords(all.Words[(n * w)..], bits));
        }
        Console.WriteLine($"wrote {n} database codes to {args[2]} and {SearchBenchmarks.Queries} queries to {args[3]} ({bits} bits, {distribution})");
        return 0;
    }

    private static void Write(string path, BinaryCodeSet codes)
    {
        int bytes = codes.CodeLength / 8;
        using var stream = new BufferedStream(File.Create(path), 1 << 20);
        var row = new byte[bytes];
        for (int i = 0; i < codes.Count; i++)
        {
            codes.CopyBytesTo(i, row);
            stream.Write(row);
        }
    }
}
