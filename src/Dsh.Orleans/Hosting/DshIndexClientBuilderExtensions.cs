using Dsh.Orleans.Client;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;

namespace Dsh.Orleans.Hosting;

/// <summary>Client set-up for Dsh cluster indexes, in the Orleans style.</summary>
public static class DshIndexClientBuilderExtensions
{
    /// <summary>
    /// Registers a <see cref="DshClusterIndexFactory"/> (with these retry settings) that creates and opens
    /// <see cref="DshClusterIndex"/> instances over this client.
    /// </summary>
    /// <param name="builder">The client builder.</param>
    /// <param name="options">Retry settings, or null for the defaults; checked here.</param>
    public static IClientBuilder UseDshIndex(this IClientBuilder builder, DshClusterIndexOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        DshClusterIndexOptions validated = (options ?? new DshClusterIndexOptions()).Validated();
        builder.Services.AddSingleton(services => new DshClusterIndexFactory(services.GetRequiredService<IGrainFactory>(), validated));
        return builder;
    }
}
