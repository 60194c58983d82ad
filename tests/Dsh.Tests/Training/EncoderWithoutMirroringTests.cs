using Dsh.Imaging;
using Dsh.Model;

namespace Dsh.Tests.Training;

/// <summary>An encoder written before <see cref="IDshEncoder.MirrorSketches"/> existed: it keeps working and refuses to mirror.</summary>
public sealed class EncoderWithoutMirroringTests
{
    [Fact]
    public void An_encoder_that_cannot_mirror_reads_false_and_refuses_true()
    {
        IDshEncoder encoder = new PlainEncoder();
        Assert.False(encoder.MirrorSketches);
        encoder.MirrorSketches = false;
        var e = Assert.Throws<NotSupportedException>(() => encoder.MirrorSketches = true);
        Assert.Contains(nameof(PlainEncoder), e.Message);
    }

    private sealed class PlainEncoder : IDshEncoder
    {
        public int CodeLength => 16;

        public IReadOnlyList<string> Categories => ["a"];

        public ImageDecodingOptions ImageDecoding { get; set; } = ImageDecodingOptions.Default;

        public float[] EmbedSketch(Stream image) => throw new NotSupportedException();

        public float[] EmbedSketch(string imagePath) => throw new NotSupportedException();

        public Hashing.BinaryCode EncodePhoto(Stream image) => throw new NotSupportedException();

        public EncodedFiles EncodeSketchFiles(IReadOnlyList<string> imagePaths, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public EncodedFiles EncodePhotoFiles(IReadOnlyList<string> imagePaths, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public EncodedFiles EmbedSketchFiles(IReadOnlyList<string> imagePaths, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public EncodedFiles EmbedPhotoFiles(IReadOnlyList<string> imagePaths, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public void Dispose()
        {
        }
    }
}
