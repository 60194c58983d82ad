using Dsh.Serving;
using Dsh;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Dsh's sketch search in an ASP.NET Core (or any <see cref="IServiceCollection"/>) application.</summary>
public static class DshServiceCollectionExtensions
{
    /// <summary>
    /// Registers one <see cref="SketchSearch"/> (and its <see cref="IDshEncoder"/>, and its <see cref="DshModel"/> when
    /// <see cref="SketchSearchOptions.ModelPath"/> is a model file) as singletons: the model and the gallery are
    /// loaded once, when first asked for, and shared by every request; the container writes queued gallery changes and
    /// disposes the model when it is disposed.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the model and gallery paths and the limits.</param>
    /// <returns>The service collection.</returns>
    /// <exception cref="ArgumentException">A path is missing or a limit is out of range.</exception>
    public static IServiceCollection AddDshSketchSearch(this IServiceCollection services, Action<SketchSearchOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new SketchSearchOptions();
        configure(options);
        options.Validated();
        services.AddSingleton(options);
        services.AddSingleton(provider => SketchSearch.Open(options, provider.GetService<ILoggerFactory>()?.CreateLogger<SketchSearch>()));
        services.AddSingleton(provider => provider.GetRequiredService<SketchSearch>().Encoder);
        services.AddSingleton(provider => provider.GetRequiredService<SketchSearch>().Model); // throws when resolved for an ONNX export
        return services;
    }

    /// <summary>
    /// Registers an already opened <see cref="SketchSearch"/> (and its model) as singletons. The caller keeps ownership
    /// and disposes it after the application stops.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="search">The service to share.</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddDshSketchSearch(this IServiceCollection services, SketchSearch search)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(search);
        services.AddSingleton(search);
        services.AddSingleton(search.Encoder);
        if (search.Encoder is DshModel model)
        {
            services.AddSingleton(model);
        }
        return services;
    }
}
