using static TorchSharp.torch;

namespace Dsh.Objective;

/// <summary>The result of one discrete code update.</summary>
/// <param name="Codes">The new codes, m×n, ±1, same element type as the input codes.</param>
/// <param name="Sweeps">Sweeps over the m bit-rows that were run.</param>
/// <param name="BitsChanged">Bits that differ from the input codes.</param>
public sealed record DshCodeUpdate(Tensor Codes, int Sweeps, long BitsChanged);
