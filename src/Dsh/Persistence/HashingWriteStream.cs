using System.IO.Hashing;

namespace Dsh.Persistence;

/// <summary>A write-only stream that hashes what passes through to the inner stream (left open).</summary>
internal sealed class HashingWriteStream(Stream inner, NonCryptographicHashAlgorithm hasher) : Stream
{
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() => inner.Flush();
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        hasher.Append(buffer);
        inner.Write(buffer);
    }
}
