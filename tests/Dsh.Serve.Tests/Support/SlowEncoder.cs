using Dsh.Hashing;
using Dsh.Imaging;
using Dsh.Model;

namespace Dsh.Serve.Tests.Support;

/// <summary>
/// An encoder that takes at least <paramref name="delay"/> for each sketch, whatever the machine's speed, so a test can
/// build a queue whose waits certainly outlast a timeout; everything else is the wrapped encoder's.
/// </summary>
internal sealed class SlowEncoder(IDshEncoder inner, TimeSpan delay) : IDshEncoder
{
    public int CodeLength => inner.CodeLength;

    public IReadOnlyList<string> Categories => inner.Categories;

    public ImageDecodingOptions ImageDecoding
    {
        get => inner.ImageDecoding;
        set => inner.ImageDecoding = value;
    }

    public bool MirrorSketches
    {
        get => inner.MirrorSketches;
        set => inner.MirrorSketches = value;
    }

    public bool MirrorsPhotos => inner.MirrorsPhotos;

    public float[] EmbedSketch(Stream image)
    {
        Thread.Sleep(delay);
        return inner.EmbedSketch(image);
    }

    public float[] EmbedSketch(string imagePath)
    {
        Thread.Sleep(delay);
        return inner.EmbedSketch(imagePath);
    }

    public BinaryCode EncodePhoto(Stream image) => inner.EncodePhoto(image);

    public EncodedFiles EncodeSketchFiles(IReadOnlyList<string> imagePaths, CancellationToken cancellationToken = default) =>
        inner.EncodeSketchFiles(imagePaths, cancellationToken);

    public EncodedFiles EncodePhotoFiles(IReadOnlyList<string> imagePaths, CancellationToken cancellationToken = default) =>
        inner.EncodePhotoFiles(imagePaths, cancellationToken);

    public EncodedFiles EmbedSketchFiles(IReadOnlyList<string> imagePaths, CancellationToken cancellationToken = default) =>
        inner.EmbedSketchFiles(imagePaths, cancellationToken);

    public EncodedFiles EmbedPhotoFiles(IReadOnlyList<string> imagePaths, CancellationToken cancellationToken = default) =>
        inner.EmbedPhotoFiles(imagePaths, cancellationToken);

    public void Dispose() => inner.Dispose();
}
