using Dsh.Imaging;
using Dsh.Imaging.Contours;

namespace Dsh.Model;

/// <summary>The sketch-token extractor an encoder uses when none is set: the standard one, if the model was trained with it.</summary>
internal static class TokenExtractorDefaults
{
    /// <exception cref="InvalidOperationException">The model was trained with another extractor; <paramref name="setter"/> says where to set it.</exception>
    public static ISketchTokenExtractor For(string trainedWith, string setter)
    {
        var standard = new ContourTokenExtractor();
        if (trainedWith.Length > 0 && trainedWith != standard.Name)
        {
            throw new InvalidOperationException(
                $"This model was trained with the sketch-token extractor \"{trainedWith}\"; set {setter} to it before encoding photos.");
        }
        return standard;
    }
}
