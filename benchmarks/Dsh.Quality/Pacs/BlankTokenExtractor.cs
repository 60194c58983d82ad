using Dsh.Imaging;

namespace Dsh.Quality.Pacs;

/// <summary>
/// <c>tokens=blank</c> of <c>dsh-pacs</c>: every photo's sketch-token map is a white image, so the token branch carries
/// nothing about the photo — what DSH scores without it (the branch still runs, so the cost is unchanged).
/// </summary>
internal sealed class BlankTokenExtractor : ISketchTokenExtractor
{
    public string Name => "blank";

    public RgbImage Extract(RgbImage photo)
    {
        byte[] white = new byte[photo.Width * photo.Height * 3];
        Array.Fill(white, (byte)255);
        return new RgbImage(photo.Width, photo.Height, white);
    }
}
