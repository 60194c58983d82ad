using System.Diagnostics;
using System.Globalization;
using Dsh.Hashing.Interop;
using Dsh.Hashing.Tests.TestUtilities;

namespace Dsh.Hashing.Tests.Interop;

public sealed class FaissBinaryIndexFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("dsh-faiss-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Write_MatchesTheBytesFaissWrites()
    {
        // Bytes of faiss.write_index_binary (FAISS 1.7.3) for IndexBinaryFlat(16) holding 01 02 / 03 04 / ff 00.
        byte[] faiss = Convert.FromHexString("494278461000000002000000030000000000000001010000000600000000000000010203" + "04ff00");
        var codes = BinaryCodeSet.FromBytes([1, 2, 3, 4, 255, 0], 16);
        using var stream = new MemoryStream();
        FaissBinaryIndexFile.Write(new IndexSnapshot(new long[] { 0, 1, 2 }, codes), stream, includeIds: false);
        Assert.Equal(faiss, stream.ToArray());
    }

    [Fact]
    public void Write_WithIds_MatchesTheBytesFaissWrites()
    {
        // faiss.write_index_binary (FAISS 1.7.3) of IndexBinaryIDMap(IndexBinaryFlat(16)) holding
        // 01 02 (id 10) and 03 04 (id 1234567890123).
        byte[] faiss = Convert.FromHexString(
            "49424d701000000000000000020000000000000001010000004942784610000000020000000200000000000000" +
            "010100000004000000000000000102030402000000000000000a00000000000000cb04fb711f010000");
        var codes = BinaryCodeSet.FromBytes([1, 2, 3, 4], 16);
        using var stream = new MemoryStream();
        FaissBinaryIndexFile.Write(new IndexSnapshot(new long[] { 10, 1234567890123 }, codes), stream);
        Assert.Equal(faiss, stream.ToArray());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void WriteRead_RoundTrips(bool includeIds)
    {
        BinaryCode[] codes = CodeGenerator.Uniform(3, 50, 64);
        long[] ids = Enumerable.Range(0, 50).Select(i => (long)(i * 31) - 7).ToArray();
        var snapshot = new IndexSnapshot(ids, BinaryCodeSet.FromCodes(codes, 64));
        string path = Path.Combine(_folder, "x.faissindex");
        FaissBinaryIndexFile.Write(snapshot, path, includeIds);

        IndexSnapshot back = FaissBinaryIndexFile.Read(path);

        Assert.Equal(codes, back.Codes.ToArray());
        Assert.Equal(includeIds ? ids : Enumerable.Range(0, 50).Select(i => (long)i), back.Ids);
    }

    [Fact]
    public void Snapshot_OfEitherIndex_ExportsTheSameRows()
    {
        BinaryCode[] codes = CodeGenerator.Clustered(4, 300, 128, 5, 0.1);
        long[] ids = Enumerable.Range(0, 300).Select(i => (long)(i * 3)).ToArray();
        IHammingIndex[] indexes = [new HammingIndex(128), new MultiIndexHashIndex(128)];
        foreach (IHammingIndex index in indexes)
        {
            index.AddRange(ids, BinaryCodeSet.FromCodes(codes, 128));
            index.Remove(30);
        }

        IndexSnapshot[] back = indexes.Select(index =>
        {
            using var stream = new MemoryStream();
            FaissBinaryIndexFile.Write(index.Snapshot(), stream);
            stream.Position = 0;
            return FaissBinaryIndexFile.Read(stream);
        }).ToArray();

        foreach (IndexSnapshot snapshot in back)
        {
            Assert.Equal(299, snapshot.Count);
            var rows = snapshot.Ids.Zip(snapshot.Codes).ToDictionary(p => p.First, p => p.Second);
            Assert.False(rows.ContainsKey(30));
            Assert.All(ids.Where(id => id != 30), id => Assert.Equal(codes[id / 3], rows[id]));
        }
    }

    [Fact]
    public void Snapshot_CountMismatchOrNull_Throws()
    {
        BinaryCodeSet codes = BinaryCodeSet.FromCodes(CodeGenerator.Uniform(1, 5, 16), 16);
        Assert.Equal("ids", Assert.Throws<ArgumentException>(() => new IndexSnapshot(new long[3], codes)).ParamName);
        Assert.Throws<ArgumentNullException>(() => new IndexSnapshot(null!, codes));
        Assert.Throws<ArgumentNullException>(() => new IndexSnapshot(new long[5], null!));
    }

    [Fact]
    public void Write_BitsNotMultipleOf8_Throws()
    {
        var snapshot = new IndexSnapshot(new long[] { 1 }, BinaryCodeSet.FromCodes(CodeGenerator.Uniform(1, 1, 12), 12));
        Assert.Contains("multiple of 8", Assert.Throws<ArgumentException>(() => FaissBinaryIndexFile.Write(snapshot, new MemoryStream())).Message);
    }

    [Fact]
    public void Read_TruncatedOrFlipped_ThrowsInvalidData()
    {
        var snapshot = new IndexSnapshot(Enumerable.Range(0, 20).Select(i => (long)i).ToArray(), BinaryCodeSet.FromCodes(CodeGenerator.Uniform(2, 20, 128), 128));
        using var stream = new MemoryStream();
        FaissBinaryIndexFile.Write(snapshot, stream);
        byte[] bytes = stream.ToArray();

        for (int length = 0; length < bytes.Length; length++)
        {
            var ex = Record.Exception(() => FaissBinaryIndexFile.Read(new MemoryStream(bytes, 0, length)));
            Assert.True(ex is InvalidDataException, $"truncated to {length}: {ex?.GetType().Name ?? "no exception"}");
        }

        // FAISS files have no checksum: a flip in a size or type field of either header, or in the code
        // byte count, must still be caught (a flip in code bytes is just another code).
        for (int bit = 0; bit < 8 * 58; bit++)
        {
            byte[] flipped = (byte[])bytes.Clone();
            flipped[bit / 8] ^= (byte)(1 << (bit % 8));
            if (bit / 8 is (>= 8 and < 12) or (>= 20 and < 25) or (>= 45 and < 50))
            {
                // The id map's own code_size (FAISS 1.7.3 writes 0 there; d / 8 is accepted too), and each
                // header's is_trained and metric_type, carry nothing a binary index needs.
                continue;
            }

            var ex = Record.Exception(() => FaissBinaryIndexFile.Read(new MemoryStream(flipped)));
            Assert.True(ex is InvalidDataException, $"bit {bit}: {ex?.GetType().Name ?? "no exception"}");
        }
    }

    [Fact]
    [Trait("Category", "Peer")]
    public void FaissReadsOurExport_AndFindsTheSameNeighbours()
    {
        const int bits = 128, count = 3000, k = 10;
        BinaryCode[] codes = CodeGenerator.Clustered(11, count, bits, 30, 0.08);
        long[] ids = Enumerable.Range(0, count).Select(i => (long)(i * 13) + 1_000_000_000_000).ToArray();
        var index = new HammingIndex(bits);
        index.AddRange(ids, BinaryCodeSet.FromCodes(codes, bits));
        BinaryCode[] queries = CodeGenerator.Clustered(12, 25, bits, 30, 0.08);

        string indexPath = Path.Combine(_folder, "ours.faissindex");
        string queryPath = Path.Combine(_folder, "queries.bin");
        string outPath = Path.Combine(_folder, "faiss.txt");
        FaissBinaryIndexFile.Write(index.Snapshot(), indexPath);
        File.WriteAllBytes(queryPath, queries.SelectMany(q => q.ToBytes()).ToArray());

        RunPython("faiss_check.py", "--index", indexPath, "--queries", queryPath, "--bits", "128", "--k", "10", "--out", outPath);

        var faiss = ParseResults(outPath);
        for (int qi = 0; qi < queries.Length; qi++)
        {
            IReadOnlyList<Neighbor> ours = index.Search(queries[qi], k);
            List<(long Id, int Distance)> theirs = faiss[qi];
            // Same distances, rank by rank; every FAISS id is a stored id at the distance it claims
            // (FAISS may break ties among equal distances differently).
            Assert.Equal(ours.Select(n => n.Distance), theirs.Select(t => t.Distance));
            foreach ((long id, int distance) in theirs)
            {
                Assert.True(index.TryGetCode(id, out BinaryCode? code), $"FAISS returned unknown id {id}");
                Assert.Equal(distance, BinaryCode.Distance(queries[qi], code));
            }

            int kth = ours[^1].Distance;
            Assert.Equal(ours.Where(n => n.Distance < kth).Select(n => n.Id).Order(), theirs.Where(t => t.Distance < kth).Select(t => t.Id).Order());
        }
    }

    [Fact]
    [Trait("Category", "Peer")]
    public void WeReadAGenuineFaissFile()
    {
        const int bits = 64, count = 500;
        BinaryCode[] codes = CodeGenerator.Uniform(21, count, bits);
        long[] ids = Enumerable.Range(0, count).Select(i => (long)(i * 7) - 100).ToArray();
        string dbPath = Path.Combine(_folder, "db.bin"), idsPath = Path.Combine(_folder, "ids.bin"), queryPath = Path.Combine(_folder, "q.bin");
        string faissPath = Path.Combine(_folder, "theirs.faissindex"), outPath = Path.Combine(_folder, "out.txt");
        File.WriteAllBytes(dbPath, codes.SelectMany(c => c.ToBytes()).ToArray());
        File.WriteAllBytes(idsPath, ids.SelectMany(BitConverter.GetBytes).ToArray());
        File.WriteAllBytes(queryPath, codes[0].ToBytes());

        RunPython("faiss_check.py", "--write-index", faissPath, "--db", dbPath, "--ids", idsPath, "--index", faissPath, "--queries", queryPath, "--bits", "64", "--k", "5", "--out", outPath);

        HammingIndex index = FaissBinaryIndexFile.ReadHammingIndex(faissPath);
        Assert.Equal(count, index.Count);
        for (int i = 0; i < count; i++)
        {
            Assert.True(index.TryGetCode(ids[i], out BinaryCode? code));
            Assert.Equal(codes[i], code);
        }
    }

    private static Dictionary<int, List<(long Id, int Distance)>> ParseResults(string path)
    {
        var result = new Dictionary<int, List<(long, int)>>();
        foreach (string line in File.ReadLines(path).Where(l => l.Length > 0))
        {
            string[] parts = line.Split(' ');
            int q = int.Parse(parts[0], CultureInfo.InvariantCulture);
            if (!result.TryGetValue(q, out var list))
            {
                result[q] = list = new List<(long, int)>();
            }

            list.Add((long.Parse(parts[1], CultureInfo.InvariantCulture), int.Parse(parts[2], CultureInfo.InvariantCulture)));
        }

        return result;
    }

    private static void RunPython(string script, params string[] args)
    {
        const string python = "/usr/bin/python3";
        Assert.True(File.Exists(python), "This test runs FAISS through Debian's python3-faiss: apt-get install python3-faiss (.ci/run does).");
        var start = new ProcessStartInfo(python) { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(RepositoryPaths.Combine("benchmarks", "peers", script));
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{script} did not finish in 120 s");
        }
        Assert.True(process.ExitCode == 0, $"{script} failed ({process.ExitCode}): {stderr.Result}{stdout.Result}");
    }
}
