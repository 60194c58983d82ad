namespace Dsh.Orleans.Client;

/// <summary>Creates and opens <see cref="DshClusterIndex"/> instances over one client with one set of retry settings (registered by <c>UseDshIndex</c> on the client builder).</summary>
public sealed class DshClusterIndexFactory
{
    private readonly IGrainFactory _grains;

    /// <summary>Creates the factory.</summary>
    public DshClusterIndexFactory(IGrainFactory grains, DshClusterIndexOptions options)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(options);
        _grains = grains;
        Options = options.Validated();
    }

    /// <summary>The retry settings every index from this factory uses.</summary>
    public DshClusterIndexOptions Options { get; }

    /// <summary>See <see cref="DshClusterIndex.CreateAsync"/>.</summary>
    public Task<DshClusterIndex> CreateAsync(string name, int codeLength, int shardCount, CancellationToken cancellationToken = default) =>
        DshClusterIndex.CreateAsync(_grains, name, codeLength, shardCount, Options, cancellationToken);

    /// <summary>See <see cref="DshClusterIndex.OpenAsync"/>.</summary>
    public Task<DshClusterIndex> OpenAsync(string name, CancellationToken cancellationToken = default) =>
        DshClusterIndex.OpenAsync(_grains, name, Options, cancellationToken);
}
