namespace Dsh.WebDemo;

/// <summary>Where the demo stands: the page polls it through <c>GET /api/status</c>.</summary>
public enum DemoState
{
    /// <summary>Started, nothing loaded yet.</summary>
    Starting,

    /// <summary>Training the built-in model.</summary>
    Training,

    /// <summary>Loading the model or encoding the gallery.</summary>
    Loading,

    /// <summary>Searches are answered.</summary>
    Ready,

    /// <summary>The model or the gallery could not be prepared; the message says why.</summary>
    Failed,
}
