using Dsh.Trunks;

namespace Dsh.Model;

/// <summary>C2-Net's fully connected head: trunk features → fc_a → ReLU → dropout → fc_b → ReLU → dropout → fc_code (K).</summary>
public sealed record SketchHeadSpec
{
    /// <summary>Widths of the two hidden layers (fc_a, fc_b).</summary>
    public ValueList<int> Widths { get; init; } = ValueList<int>.Empty;

    /// <summary>Dropout probabilities after the two hidden layers.</summary>
    public ValueList<double> Dropout { get; init; } = ValueList<double>.Empty;

    /// <summary>Checks the widths and probabilities.</summary>
    /// <exception cref="ArgumentException">A value is out of range; the message names it.</exception>
    public void Validate()
    {
        HeadChecks.Widths(Widths, $"{nameof(SketchHeadSpec)}.{nameof(Widths)}");
        HeadChecks.Probabilities(Dropout, $"{nameof(SketchHeadSpec)}.{nameof(Dropout)}");
    }

    /// <summary>The head's <c>state_dict</c> entries for <paramref name="features"/> inputs and <paramref name="codeLength"/> outputs.</summary>
    internal IEnumerable<StateEntry> StateLayout(long features, long codeLength) =>
    [
        .. StateEntry.Linear("fc_a", features, Widths[0]),
        .. StateEntry.Linear("fc_b", Widths[0], Widths[1]),
        .. StateEntry.Linear("fc_code", Widths[1], codeLength),
    ];
}
