using static TorchSharp.torch;

namespace Dsh.Training;

/// <summary>
/// What the training loop reads: labels of the training photos and sketches, and image batches as tensors.
/// <see cref="DatasetTrainingData"/> serves an <see cref="SbirDataset"/>; tests serve synthetic tensors.
/// </summary>
internal interface IDshTrainingData
{
    /// <summary>Category names; labels index into them.</summary>
    IReadOnlyList<string> Categories { get; }

    /// <summary>Label of each training photo.</summary>
    int[] PhotoLabels { get; }

    /// <summary>Label of each training sketch.</summary>
    int[] SketchLabels { get; }

    /// <summary>Identifies the items and their order (a resumed run must see the same data).</summary>
    string Fingerprint { get; }

    /// <summary>Sketches at the given training indices as [n,3,S,S] float32; augmented when <paramref name="augmentation"/> is given.</summary>
    Tensor SketchBatch(IReadOnlyList<int> indices, Random? augmentation);

    /// <summary>Photos [n,3,P,P] and their sketch-token maps [n,3,S,S]; augmented (the same transform for both) when asked.</summary>
    (Tensor Photos, Tensor Tokens) PhotoBatch(IReadOnlyList<int> indices, Random? augmentation);
}
