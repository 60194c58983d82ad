using Dsh.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace Dsh.Objective;

/// <summary>
/// The class-code term of a θ-step (<see cref="DshTrainerOptions.ClassCodeWeight"/>): a softmax cross-entropy that asks
/// each item's network output f to lie nearer its own class's code than any other class's, with the logits
/// s · f · c / K over the class codes c. A class's code is the bitwise majority of its photos' current codes (the codes
/// the network regresses onto in this epoch). The regression loss pulls each output onto its own item's code; this term pushes it away
/// from the other classes' codes as well.
/// </summary>
public static class ClassCodeTerm
{
    /// <summary>
    /// Each class's code, [classes, K] with entries ±1 (0 for a bit its photos split evenly, or a class without photos):
    /// the bitwise majority of the columns of <paramref name="photoCodes"/> [K, n] labelled with the class.
    /// </summary>
    /// <exception cref="ArgumentException">Shapes disagree or a label is outside 0 … classes − 1.</exception>
    public static Tensor ClassCodes(Tensor photoCodes, IReadOnlyList<int> photoLabels, int classCount)
    {
        ArgumentNullException.ThrowIfNull(photoCodes);
        ArgumentNullException.ThrowIfNull(photoLabels);
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        if (photoCodes.dim() != 2 || photoCodes.shape[1] != photoLabels.Count)
        {
            throw new ArgumentException(
                $"photoCodes must be [K, {photoLabels.Count}] (one column a labelled photo), not [{string.Join(", ", photoCodes.shape)}].", nameof(photoCodes));
        }
        long[] labels = CheckedLabels(photoLabels, classCount, nameof(photoLabels));
        using var scope = NewDisposeScope();
        Tensor index = tensor(labels, device: photoCodes.device);
        return zeros(classCount, photoCodes.shape[0], dtype: ScalarType.Float32, device: photoCodes.device)
            .IndexAdd(0, index, photoCodes.T.to(ScalarType.Float32))
            .sign()
            .MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The mean over the batch of −log softmax(s · f · cᵀ / K)[own class], for outputs [N, K], class codes
    /// [classes, K] (from <see cref="ClassCodes"/>) and one class label an output.
    /// </summary>
    /// <exception cref="ArgumentException">Shapes disagree, the batch is empty, a label is out of range, or the scale is not finite and positive.</exception>
    public static Tensor Loss(Tensor outputs, Tensor classCodes, IReadOnlyList<int> labels, double scale)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(classCodes);
        ArgumentNullException.ThrowIfNull(labels);
        if (!(scale > 0 && double.IsFinite(scale)))
        {
            throw new ArgumentException($"scale must be finite and > 0, not {scale}.", nameof(scale));
        }
        if (outputs.dim() != 2 || classCodes.dim() != 2 || outputs.shape[1] != classCodes.shape[1] || outputs.shape[0] != labels.Count || labels.Count == 0)
        {
            throw new ArgumentException(
                $"outputs [N, K], classCodes [classes, K] and N labels, N > 0, were expected; got [{string.Join(", ", outputs.shape)}], [{string.Join(", ", classCodes.shape)}] and {labels.Count}.");
        }
        long[] targets = CheckedLabels(labels, classCodes.shape[0], nameof(labels));
        using var scope = NewDisposeScope();
        Tensor logits = outputs.matmul(classCodes.to(outputs.dtype).to(outputs.device).T).Times(scale / outputs.shape[1]);
        return nn.functional.cross_entropy(logits, tensor(targets, device: outputs.device)).MoveToOuterDisposeScope();
    }

    /// <summary>The labels as int64, each checked to lie in 0 … <paramref name="classes"/> − 1.</summary>
    private static long[] CheckedLabels(IReadOnlyList<int> labels, long classes, string parameter)
    {
        long[] checkedLabels = new long[labels.Count];
        for (int i = 0; i < checkedLabels.Length; i++)
        {
            checkedLabels[i] = labels[i] >= 0 && labels[i] < classes
                ? labels[i]
                : throw new ArgumentException($"label {labels[i]} (item {i}) is outside 0 … {classes - 1}.", parameter);
        }
        return checkedLabels;
    }
}
