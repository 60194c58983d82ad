// Runs in a child process started by IsaFallbackTests with some instruction sets switched off
// (DOTNET_EnableAVX512=0, DOTNET_EnableAVX2=0, DOTNET_EnableHWIntrinsic=0), the way a user's older CPU
// would be: both indexes must still pick a kernel the CPU has and answer exactly as brute force does.
// Prints the kernels chosen and exits 0 when every answer matched, 1 otherwise.
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Dsh.Hashing;

Console.WriteLine($"avx512bw={Avx512BW.IsSupported} avx2={Avx2.IsSupported} v256={Vector256.IsHardwareAccelerated}");
var rng = new Random(7);
int failures = 0;
foreach (int bits in new[] { 64, 128, 200, 256 })
{
    var ids = Enumerable.Range(0, 3000).Select(i => (long)(i * 3)).ToArray();
    BinaryCode[] codes = Enumerable.Range(0, ids.Length).Select(_ => Random(bits)).ToArray();
    var flat = new HammingIndex(bits);
    var mih = new MultiIndexHashIndex(bits);
    flat.AddRange(ids, BinaryCodeSet.FromCodes(codes, bits));
    mih.AddRange(ids, BinaryCodeSet.FromCodes(codes, bits));
    flat.Remove(ids[5]);
    mih.Remove(ids[5]);
    Console.WriteLine($"bits={bits} kernel={flat.Kernel}");
    for (int q = 0; q < 10; q++)
    {
        BinaryCode query = q < 5 ? codes[q * 100] : Random(bits);
        Neighbor[] expected = ids.Zip(codes).Where(p => p.First != ids[5])
            .Select(p => new Neighbor(p.First, BinaryCode.Distance(query, p.Second))).Order().Take(20).ToArray();
        if (!flat.Search(query, 20).SequenceEqual(expected) || !mih.Search(query, 20).SequenceEqual(expected)
            || !flat.SearchBatch([query, query], 20)[1].SequenceEqual(expected))
        {
            Console.WriteLine($"MISMATCH bits={bits} query={q}");
            failures++;
        }
    }
}

Console.WriteLine(failures == 0 ? "ok" : $"{failures} mismatches");
return failures == 0 ? 0 : 1;

BinaryCode Random(int bits)
{
    var b = new bool[bits];
    for (int i = 0; i < bits; i++)
    {
        b[i] = rng.Next(2) == 1;
    }

    return BinaryCode.FromBools(b);
}
