using System.Diagnostics;
using System.Globalization;
using Dsh.Model;
using Dsh.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace Dsh.Tests.Training;

/// <summary>
/// Model files crafted with a valid checksum (it detects damage, not tampering): every one is an
/// <see cref="InvalidDataException"/> with a one-line message naming the file, refused before anything large is
/// allocated.
/// </summary>
public sealed class ModelFileSafetyTests : IDisposable
{
    /// <summary>Managed bytes one refused load may allocate: the 1 MiB read buffers, the header, a tiny network's bookkeeping.</summary>
    private const long AllocationLimit = 32L << 20;

    private readonly string _dir = Directory.CreateTempSubdirectory("dsh-crafted-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static DshArchitecture Tiny => TrainingFixtures.TinyArchitecture;

    [Fact]
    public void HugeFusionWidths_AreRefusedBeforeTheNetworkIsBuilt()
    {
        DshArchitecture huge = DshArchitecture.Compact(8).WithHeadWidths([512, 256], [65_536, 65_536]);
        string path = CraftedFiles.Model(Path.Combine(_dir, "huge.dshm"), huge, _ => { });
        var clock = Stopwatch.StartNew();
        InvalidDataException e = RefusedLoad(path);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.Contains(huge.ParameterCount.ToString("N0", CultureInfo.InvariantCulture), e.Message);
        Assert.Contains("512,000,000", e.Message);
        Assert.Contains("MaxParameters", e.Message);
    }

    [Fact]
    public void LoadOptions_SetTheLimits()
    {
        string path = Path.Combine(_dir, "m.dshm");
        torch.manual_seed(3);
        using (var network = new DshNetwork(Tiny))
        {
            CraftedFiles.Model(path, Tiny, w => network.save(w));
        }
        long parameters = Tiny.ParameterCount;
        using (DshModel.Load(path, new DshModelLoadOptions { MaxParameters = parameters, MaxStateBytes = Tiny.StateByteCount }))
        {
        }
        Assert.Contains($"more than the load limit of {(parameters - 1).ToString("N0", CultureInfo.InvariantCulture)}",
            Assert.Throws<InvalidDataException>(() => DshModel.Load(path, new DshModelLoadOptions { MaxParameters = parameters - 1 })).Message);
        Assert.Contains("MaxStateBytes",
            Assert.Throws<InvalidDataException>(() => DshModel.Load(path, new DshModelLoadOptions { MaxStateBytes = 4 * parameters })).Message);
        Assert.Contains("MaxHeaderBytes",
            Assert.Throws<InvalidDataException>(() => DshModel.Load(path, new DshModelLoadOptions { MaxHeaderBytes = 100 })).Message);
        Assert.Throws<ArgumentException>(() => DshModel.Load(path, new DshModelLoadOptions { MaxParameters = 0 }));
        Assert.Throws<ArgumentException>(() => DshModel.Load(path, new DshModelLoadOptions { MaxHeaderBytes = 1 }));
        Assert.Throws<ArgumentNullException>(() => DshModel.Load(path, null!));
    }

    [Fact]
    public void ModelSave_LoadsBitExactly_AndEncodesTheSameCodes()
    {
        using var model = TrainingFixtures.Fit(TrainingFixtures.Options(epochs: 1), TrainingFixtures.Data());
        string path = Path.Combine(_dir, "m.dshm");
        model.Save(path);
        using var loaded = DshModel.Load(path);

        Dictionary<string, Tensor> expected = model.Network.state_dict();
        foreach (var (name, tensor) in loaded.Network.state_dict())
        {
            Assert.True(CraftedFiles.Bytes(expected[name]).AsSpan().SequenceEqual(CraftedFiles.Bytes(tensor)), name);
        }
        using var scope = NewDisposeScope();
        Tensor sketches = torch.rand(5, 3, 64, 64), photos = torch.rand(5, 3, 64, 64), tokens = torch.rand(5, 3, 64, 64);
        Assert.Equal(model.Network.EncodeSketchCodes(sketches), loaded.Network.EncodeSketchCodes(sketches));
        Assert.Equal(model.Network.EncodePhotoCodes(photos, tokens), loaded.Network.EncodePhotoCodes(photos, tokens));
    }

    public static TheoryData<string> Payloads => new()
    {
        "shape-length-2^31-1", "huge-dimensions", "wrong-shape", "wrong-dtype", "unknown-key", "missing-key", "duplicate-key",
        "truncated", "trailing-bytes", "too-many-entries", "long-name", "malformed-number", "empty",
    };

    [Theory]
    [MemberData(nameof(Payloads))]
    public void CraftedPayload_IsRefused(string kind)
    {
        torch.manual_seed(5);
        using var network = new DshNetwork(Tiny);
        var entries = CraftedFiles.Entries(network);
        int n = entries.Count;
        (string first, Tensor firstTensor) = entries[0];
        string path = Path.Combine(_dir, kind + ".dshm");
        (string Text, string? Tensor) expected = kind switch
        {
            "shape-length-2^31-1" => ("2147483647 dimensions", first),
            "huge-dimensions" => ("in the file, [", first),
            "wrong-shape" => ("in the file, [", entries[3].Name),
            "wrong-dtype" => ("Float64 in the file, Float32 expected", first),
            "unknown-key" => ("not part of the architecture", "sketch_trunk.conv9.weight"),
            "missing-key" => ("is missing", entries[n - 1].Name),
            "duplicate-key" => ("appears twice", entries[1].Name),
            "truncated" => ("ends inside", entries[2].Name),
            "trailing-bytes" => ("5 bytes are left", null),
            "too-many-entries" => ($"list {n + 1} tensors", null),
            "long-name" => ("1000000 bytes long", null),
            "malformed-number" => ("malformed number", first),
            _ => ("ends inside", null),
        };
        CraftedFiles.Model(path, Tiny, w =>
        {
            switch (kind)
            {
                case "shape-length-2^31-1":
                    CraftedFiles.Number(w, n);
                    w.Write(first);
                    CraftedFiles.Number(w, (long)ScalarType.Float32);
                    CraftedFiles.Number(w, int.MaxValue);
                    return;
                case "huge-dimensions":
                    CraftedFiles.Number(w, n);
                    w.Write(first);
                    CraftedFiles.Tensor(w, (long)ScalarType.Float32, [1L << 62, 1L << 62, 1L << 62, 1L << 62], []);
                    return;
                case "wrong-dtype":
                    CraftedFiles.Number(w, n);
                    w.Write(first);
                    CraftedFiles.Tensor(w, (long)ScalarType.Float64, firstTensor.shape, CraftedFiles.Bytes(firstTensor.to(ScalarType.Float64)));
                    return;
                case "too-many-entries":
                    CraftedFiles.Number(w, n + 1);
                    return;
                case "long-name":
                    CraftedFiles.Number(w, n);
                    CraftedFiles.Number(w, 1_000_000); // a BinaryWriter string's length prefix is the same 7-bit encoding
                    return;
                case "malformed-number":
                    CraftedFiles.Number(w, n);
                    w.Write(first);
                    w.Write(Enumerable.Repeat((byte)0xff, 12).ToArray());
                    return;
                case "empty":
                    return;
            }
            CraftedFiles.Number(w, kind == "missing-key" ? n - 1 : n);
            for (int i = 0; i < n; i++)
            {
                var (name, tensor) = entries[i];
                switch (kind)
                {
                    case "wrong-shape" when i == 3:
                        w.Write(name);
                        CraftedFiles.Tensor(w, (long)tensor.dtype, [.. tensor.shape.Append(1)], CraftedFiles.Bytes(tensor));
                        continue;
                    case "unknown-key" when i == 1:
                        CraftedFiles.Entry(w, "sketch_trunk.conv9.weight", tensor);
                        continue;
                    case "missing-key" when i == n - 1:
                        continue;
                    case "duplicate-key" when i == 2:
                        CraftedFiles.Entry(w, entries[1].Name, entries[1].Tensor);
                        continue;
                    case "truncated" when i == 2:
                        w.Write(name);
                        CraftedFiles.Tensor(w, (long)tensor.dtype, tensor.shape, CraftedFiles.Bytes(tensor)[..^1]);
                        return;
                }
                CraftedFiles.Entry(w, name, tensor);
            }
            if (kind == "trailing-bytes")
            {
                w.Write(new byte[5]);
            }
        });

        InvalidDataException e = RefusedLoad(path);
        Assert.True(e.Message.Contains(expected.Text, StringComparison.Ordinal), e.Message);
        if (expected.Tensor is not null)
        {
            Assert.Contains($"'{expected.Tensor}'", e.Message);
        }
    }

    /// <summary>Loads <paramref name="path"/>, expecting a one-line refusal that names it and allocates little.</summary>
    private static InvalidDataException RefusedLoad(string path)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        InvalidDataException e = Assert.Throws<InvalidDataException>(() => DshModel.Load(path));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < AllocationLimit, $"the refused load allocated {allocated:N0} managed bytes");
        Assert.StartsWith(path + ":", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
        return e;
    }
}
