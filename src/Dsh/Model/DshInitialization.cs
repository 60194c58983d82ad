namespace Dsh.Model;

/// <summary>How <see cref="DshNetwork"/> initialises its weights.</summary>
public enum DshInitialization
{
    /// <summary>
    /// The official deploy files' fillers: Gaussian weights (convolutions std 0.01, hidden fully connected layers
    /// 0.005, code layers 0.01) and constant biases (0 or 1 per layer, as listed there).
    /// </summary>
    PaperFillers,

    /// <summary>TorchSharp's defaults (Kaiming-uniform weights): better when training small networks from scratch.</summary>
    TorchDefault,
}
