using Dsh.Trunks;

namespace Dsh.Model;

/// <summary>
/// C1-Net's cross-weight late-fusion head: the concatenated token and photo features go through two stages, each of two
/// parallel layers of the same width (fc_a ∥ fc6, then fc_b ∥ fc7) whose outputs are concatenated, then fc_code (K).
/// </summary>
public sealed record FusionHeadSpec
{
    /// <summary>Widths of the two stages (each stage has two parallel layers of this width).</summary>
    public ValueList<int> Widths { get; init; } = ValueList<int>.Empty;

    /// <summary>Dropout of the first parallel branch (fc_a, fc_b) after each stage.</summary>
    public ValueList<double> DropoutA { get; init; } = ValueList<double>.Empty;

    /// <summary>Dropout of the second parallel branch (fc6, fc7) after each stage.</summary>
    public ValueList<double> DropoutB { get; init; } = ValueList<double>.Empty;

    /// <summary>Checks the widths and probabilities.</summary>
    /// <exception cref="ArgumentException">A value is out of range; the message names it.</exception>
    public void Validate()
    {
        HeadChecks.Widths(Widths, $"{nameof(FusionHeadSpec)}.{nameof(Widths)}");
        HeadChecks.Probabilities(DropoutA, $"{nameof(FusionHeadSpec)}.{nameof(DropoutA)}");
        HeadChecks.Probabilities(DropoutB, $"{nameof(FusionHeadSpec)}.{nameof(DropoutB)}");
    }

    /// <summary>The head's <c>state_dict</c> entries for <paramref name="inputs"/> fused features and <paramref name="codeLength"/> outputs.</summary>
    internal IEnumerable<StateEntry> StateLayout(long inputs, long codeLength) =>
    [
        .. StateEntry.Linear("fc_a", inputs, Widths[0]),
        .. StateEntry.Linear("fc6", inputs, Widths[0]),
        .. StateEntry.Linear("fc_b", 2L * Widths[0], Widths[1]),
        .. StateEntry.Linear("fc7", 2L * Widths[0], Widths[1]),
        .. StateEntry.Linear("fc_code", 2L * Widths[1], codeLength),
    ];
}
