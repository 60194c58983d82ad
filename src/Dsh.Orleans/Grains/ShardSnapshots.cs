using Dsh.Hashing;
using Dsh.Orleans.State;
using Orleans.Storage;

namespace Dsh.Orleans.Grains;

/// <summary>
/// Snapshot I/O of a shard: its index in the checked Dsh index format, cut into chunks in grain storage, each under the
/// state name <c>dsh-snapshot-{id}-{chunk}</c> of the shard's grain id; and read back, checked, into an index.
/// </summary>
/// <param name="storage">The grain storage.</param>
/// <param name="grainId">The shard grain's id.</param>
/// <param name="shard">The shard's key, for messages.</param>
/// <param name="chunkBytes">The length of every chunk but the last.</param>
internal sealed class ShardSnapshots(IGrainStorage storage, GrainId grainId, string shard, int chunkBytes)
{
    /// <summary>Stores <paramref name="index"/> as a snapshot under a fresh id; nothing the shard state points to is touched.</summary>
    /// <returns>Where the snapshot lies, with its length and code count.</returns>
    public async Task<SnapshotReference> WriteAsync(HammingIndex index)
    {
        byte[] file;
        using (var stream = new MemoryStream())
        {
            index.Save(stream);
            file = stream.ToArray();
        }

        return await WriteAsync(file, index.Count);
    }

    /// <summary>Reads a snapshot back into an index and checks it against what the shard state expects.</summary>
    /// <param name="reference">The snapshot.</param>
    /// <param name="codeLength">The shard's code length.</param>
    /// <exception cref="InvalidDataException">A chunk is missing or has the wrong size, the file is damaged, or it holds other codes than expected.</exception>
    public async Task<HammingIndex> ReadAsync(SnapshotReference reference, int codeLength)
    {
        byte[] file = await ReadFileAsync(reference);
        using var stream = new MemoryStream(file, writable: false);
        HammingIndex index = HammingIndex.Load(stream);
        if (index.CodeLength != codeLength || index.Count != reference.Count)
        {
            throw new InvalidDataException(
                $"Shard {shard}: snapshot {reference.Id} holds {index.Count} {index.CodeLength}-bit codes, the shard state expects {reference.Count} {codeLength}-bit codes.");
        }

        return index;
    }

    /// <summary>
    /// Deletes a snapshot's chunks, by the ETags they were written with (a chunk whose ETag is unknown or differs is read
    /// first). With the Redis provider the keys go away only when its <c>DeleteStateOnClear</c> is set; otherwise their
    /// data is cleared.
    /// </summary>
    public async Task DeleteAsync(SnapshotReference reference)
    {
        for (int i = 0; i < Math.Max(reference.Chunks, reference.ChunkETags.Count); i++)
        {
            string name = ChunkName(reference.Id, i);
            string? etag = i < reference.ChunkETags.Count ? reference.ChunkETags[i] : null;
            if (etag is not null)
            {
                try
                {
                    await storage.ClearStateAsync(name, grainId, new GrainState<SnapshotChunk>(new SnapshotChunk(), etag) { RecordExists = true });
                    continue;
                }
                catch (InconsistentStateException)
                {
                    // changed since: read it for its current ETag below
                }
            }

            var state = new GrainState<SnapshotChunk>(new SnapshotChunk());
            await storage.ReadStateAsync(name, grainId, state);
            if (state.RecordExists)
            {
                await storage.ClearStateAsync(name, grainId, state);
            }
        }
    }

    /// <summary>Stores <paramref name="file"/> under a fresh snapshot id; nothing the shard state points to is touched.</summary>
    private async Task<SnapshotReference> WriteAsync(byte[] file, int count)
    {
        var reference = new SnapshotReference
        {
            Id = Guid.NewGuid().ToString("N"),
            Chunks = (int)((file.LongLength + chunkBytes - 1) / chunkBytes),
            Bytes = file.LongLength,
            Count = count,
            ChunkBytes = chunkBytes,
        };
        for (int i = 0; i < reference.Chunks; i++)
        {
            int start = i * chunkBytes;
            var chunk = new GrainState<SnapshotChunk>(new SnapshotChunk { Data = file.AsSpan(start, Math.Min(chunkBytes, file.Length - start)).ToArray() });
            try
            {
                await storage.WriteStateAsync(ChunkName(reference.Id, i), grainId, chunk);
            }
            catch
            {
                try
                {
                    await DeleteAsync(reference); // the chunks written so far: nothing refers to them
                }
                catch (Exception)
                {
                    // left as orphans; the write's own error is the one to report
                }

                throw;
            }

            reference.ChunkETags.Add(chunk.ETag);
        }

        return reference;
    }

    /// <summary>Reads the bytes of a whole snapshot back.</summary>
    /// <exception cref="InvalidDataException">A chunk is missing or has the wrong size.</exception>
    private async Task<byte[]> ReadFileAsync(SnapshotReference reference)
    {
        var file = new byte[reference.Bytes];
        long at = 0;
        for (int i = 0; i < reference.Chunks; i++)
        {
            var state = new GrainState<SnapshotChunk>(new SnapshotChunk());
            await storage.ReadStateAsync(ChunkName(reference.Id, i), grainId, state);
            byte[]? data = state.State?.Data;
            long expected = Math.Min(reference.ChunkBytes, reference.Bytes - at);
            if (!state.RecordExists || data is null || data.Length != expected)
            {
                string found = state.RecordExists ? $"{data?.Length ?? 0} bytes, expected {expected}" : "missing";
                throw new InvalidDataException($"Snapshot {reference.Id} of {grainId}: chunk {i} of {reference.Chunks} is {found} in grain storage.");
            }

            data.CopyTo(file.AsSpan((int)at));
            at += data.Length;
        }

        return file;
    }

    /// <summary>The state name of one chunk.</summary>
    internal static string ChunkName(string snapshotId, int chunk) => $"dsh-snapshot-{snapshotId}-{chunk}";
}
