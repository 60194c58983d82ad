using Dsh.Imaging;
using Dsh.Tests.Shared;
using Dsh.Tests.Support;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp;

namespace Dsh.Tests.Imaging;

/// <summary>Decoding within <see cref="ImageDecodingOptions"/>: refusals from the header, first frames, bounded reads.</summary>
public sealed class SafeDecodingTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    private string Write(string name, byte[] content)
    {
        string path = folder.File(name);
        File.WriteAllBytes(path, content);
        return path;
    }

    [Fact]
    public void A_small_png_claiming_30000_squared_pixels_is_refused_from_its_header_naming_the_file_and_the_limit()
    {
        byte[] bomb = HostileImages.PngClaiming(30_000, 30_000);
        Assert.InRange(bomb.Length, 50, 200);
        string path = Write("bomb.png", bomb);
        long before = GC.GetAllocatedBytesForCurrentThread();

        var e = Assert.Throws<InvalidDataException>(() => DshImaging.Load(path));

        Assert.Contains("bomb.png", e.Message);
        Assert.Contains("30000x30000", e.Message);
        Assert.Contains("MaxPixels", e.Message);
        ImageLimitExceededException limit = Assert.IsType<ImageLimitExceededException>(e.InnerException);
        Assert.Equal((nameof(ImageDecodingOptions.MaxPixels), 900_000_000L, ImageDecodingOptions.DefaultMaxPixels), (limit.Limit, limit.Actual, limit.Allowed));
        Assert.Same(limit, ImageLimitExceededException.From(e));
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 4 << 20); // no pixel buffer was made
    }

    [Fact]
    public void A_real_20000_squared_png_of_a_few_hundred_kilobytes_is_refused_and_a_lower_limit_refuses_smaller_ones()
    {
        byte[] png = HostileImages.PngOfBlackPixels(20_000, 20_000);
        Assert.InRange(png.Length, 100_000, 1_000_000);
        using var stream = new MemoryStream(png);
        var e = Assert.Throws<InvalidDataException>(() => DshImaging.Load(stream));
        Assert.Contains("the stream", e.Message);
        Assert.NotNull(ImageLimitExceededException.From(e));

        byte[] small = HostileImages.PngOfBlackPixels(100, 50);
        using (var ok = DshImaging.Load(new MemoryStream(small), new ImageDecodingOptions { MaxPixels = 5_000 }))
        {
            Assert.Equal((100, 50), (ok.Width, ok.Height));
        }
        var refused = Assert.Throws<InvalidDataException>(() => DshImaging.Load(new MemoryStream(small), new ImageDecodingOptions { MaxPixels = 4_999 }));
        Assert.Equal(5_000, ImageLimitExceededException.From(refused)!.Actual);
    }

    [Fact]
    public void A_gif_of_500_full_size_frames_decodes_only_its_first_frame()
    {
        byte[] gif = HostileImages.GifWithFrames(500);
        Assert.InRange(gif.Length, 5_000, 16_000);

        using (var stream = new MemoryStream(gif))
        using (Image native = ImageDecoding.DecodeNative(stream, "the gif", ImageDecodingOptions.Default))
        {
            Assert.Equal(1, native.Frames.Count);
            Assert.Equal((1000, 1000), (native.Width, native.Height));
        }
        using Image<Rgb24> image = DshImaging.Load(Write("frames.gif", gif));
        Assert.Equal((1, 1000, 1000), (image.Frames.Count, image.Width, image.Height));
    }

    [Fact]
    public void An_encoded_size_over_the_limit_is_refused_before_reading_files_and_while_reading_streams()
    {
        byte[] png = HostileImages.PngOfBlackPixels(64, 64);
        var options = new ImageDecodingOptions { MaxEncodedBytes = png.Length - 1 };
        string path = Write("big.png", png);
        var e = Assert.Throws<InvalidDataException>(() => DshImaging.Load(path, options));
        Assert.Contains("big.png", e.Message);
        Assert.Contains("MaxEncodedBytes", e.Message);

        // A stream that never ends is read only a little past the limit.
        var endless = new EndlessStream();
        var fromStream = Assert.Throws<InvalidDataException>(() => DshImaging.Load(endless, new ImageDecodingOptions { MaxEncodedBytes = 1 << 20 }));
        Assert.Equal(nameof(ImageDecodingOptions.MaxEncodedBytes), ImageLimitExceededException.From(fromStream)!.Limit);
        Assert.InRange(endless.BytesRead, 1 << 20, (1 << 20) + (1 << 17));

        using var exact = DshImaging.Load(new NonSeekable(png), new ImageDecodingOptions { MaxEncodedBytes = png.Length });
        Assert.Equal(64, exact.Width);
    }

    [Theory]
    [InlineData(new byte[0], "no format")]
    [InlineData(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 }, "no format")]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13 }, "")]
    public void Garbage_empty_and_truncated_input_are_invalid_data_not_crashes(byte[] content, string expected)
    {
        var e = Assert.Throws<InvalidDataException>(() => DshImaging.Load(new MemoryStream(content)));
        Assert.Contains(expected, e.Message);
        Assert.Null(ImageLimitExceededException.From(e));
    }

    [Fact]
    public void A_truncated_body_behind_a_valid_header_is_invalid_data()
    {
        using var original = TestImages.FromFunction(200, 150, (x, y) => new Rgb24((byte)x, (byte)y, (byte)(x ^ y)));
        using var full = new MemoryStream();
        original.SaveAsPng(full);
        byte[] cut = full.ToArray()[..(int)(full.Length / 2)];
        var e = Assert.Throws<InvalidDataException>(() => DshImaging.Load(Write("cut.png", cut)));
        Assert.Contains("cut.png", e.Message);
    }

    [Fact]
    public void Options_are_validated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImageDecodingOptions { MaxPixels = 0 }.Validated());
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImageDecodingOptions { MaxEncodedBytes = 0 }.Validated());
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImageDecodingOptions { MaxParallelDecodes = 0 }.Validated());
        Assert.Throws<ArgumentOutOfRangeException>(() => DshImaging.Load(new MemoryStream([1]), new ImageDecodingOptions { MaxPixels = -1 }));
        Assert.Equal(40_000_000, ImageDecodingOptions.Default.MaxPixels);
        Assert.Equal(64L << 20, ImageDecodingOptions.Default.MaxEncodedBytes);
    }

    private sealed class EndlessStream : Stream
    {
        public long BytesRead { get; private set; }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count)
        {
            buffer.AsSpan(offset, count).Fill(0x42);
            BytesRead += count;
            return count;
        }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private sealed class NonSeekable(byte[] content) : MemoryStream(content)
    {
        public override bool CanSeek => false;
    }
}
