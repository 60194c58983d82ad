using Dsh.Objective;

namespace Dsh.Quality;

/// <summary>The <c>dissimilar=</c> key of <c>dsh-pacs</c> and <c>quickdraw-cifar dsh</c>, read as <c>dsh train --dissimilar-target</c> reads it.</summary>
internal static class DissimilarTarget
{
    /// <exception cref="FormatException">Not paper, simplex or a number from −1 to 0.</exception>
    public static double? Parse(string text) => DshObjectiveOptions.TryParseDissimilarPairTarget(text, out double? target)
        ? target
        : throw new FormatException($"dissimilar= must be paper, simplex or a number from -1 to 0, not '{text}'.");
}
