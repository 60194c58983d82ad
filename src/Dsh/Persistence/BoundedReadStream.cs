namespace Dsh.Persistence;

/// <summary>A read-only view of a stream that ends at <c>end</c> (so a payload reader never reads the checksum trailer).</summary>
internal sealed class BoundedReadStream(Stream inner, long end) : Stream
{
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => end;
    public override long Position { get => inner.Position; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        long left = end - inner.Position;
        if (left <= 0)
        {
            throw new InvalidDataException("The payload ends early: the file is damaged.");
        }
        return inner.Read(buffer[..(int)Math.Min(buffer.Length, left)]);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }
        base.Dispose(disposing);
    }
}
