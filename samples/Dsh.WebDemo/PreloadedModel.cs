namespace Dsh.WebDemo;

/// <summary>The model read from <c>--model</c> at start-up, or null when the demo trains (or reuses) its own.</summary>
public sealed record PreloadedModel(DshModel? Model);
