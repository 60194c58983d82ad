using Dsh.Orleans.State;
using Orleans.Storage;

namespace Dsh.Orleans.Grains;

/// <summary>
/// Reads and writes a shard's snapshot as chunks in grain storage, each under the state name
/// <c>dsh-snapshot-{id}-{chunk}</c> of the shard's grain id.
/// </summary>
internal sealed class ShardSnapshots(IGrainStorage storage, GrainId grainId, int chunkBytes)
{
    /// <summary>Stores <paramref name="file"/> under a fresh snapshot id; nothing the shard state points to is touched.</summary>
    public async Task<SnapshotReference> WriteAsync(byte[] file, int count)
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
            var chunk = new SnapshotChunk { Data = file.AsSpan(start, Math.Min(chunkBytes, file.Length - start)).ToArray() };
            await storage.WriteStateAsync(ChunkName(reference.Id, i), grainId, new GrainState<SnapshotChunk>(chunk));
        }

        return reference;
    }

    /// <summary>Reads a whole snapshot back.</summary>
    /// <exception cref="InvalidDataException">A chunk is missing or has the wrong size.</exception>
    public async Task<byte[]> ReadAsync(SnapshotReference reference)
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

    /// <summary>Deletes a snapshot's chunks (those still there).</summary>
    public async Task DeleteAsync(SnapshotReference reference)
    {
        for (int i = 0; i < reference.Chunks; i++)
        {
            var state = new GrainState<SnapshotChunk>(new SnapshotChunk());
            await storage.ReadStateAsync(ChunkName(reference.Id, i), grainId, state);
            if (state.RecordExists)
            {
                await storage.ClearStateAsync(ChunkName(reference.Id, i), grainId, state);
            }
        }
    }

    /// <summary>The state name of one chunk.</summary>
    internal static string ChunkName(string snapshotId, int chunk) => $"dsh-snapshot-{snapshotId}-{chunk}";
}
