using Dsh.Orleans.Grains;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Hosting;

namespace Dsh.Orleans.Hosting;

/// <summary>Silo set-up for Dsh cluster indexes, in the Orleans style.</summary>
public static class DshIndexSiloBuilderExtensions
{
    /// <summary>
    /// Lets this silo host Dsh shard grains. The grain storage provider named by
    /// <see cref="DshIndexSiloOptions.StorageName"/> (default <c>"dsh-index"</c>) must be registered too, e.g.
    /// <c>AddRedisGrainStorage("dsh-index", …)</c>; the options and that provider are checked when the silo starts.
    /// </summary>
    /// <param name="builder">The silo builder.</param>
    /// <param name="configure">Changes to the default options, or null.</param>
    public static ISiloBuilder UseDshIndex(this ISiloBuilder builder, Action<DshIndexSiloOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        OptionsBuilder<DshIndexSiloOptions> options = builder.Services.AddOptions<DshIndexSiloOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        builder.Services.AddSingleton<IConfigurationValidator, DshIndexSiloOptionsValidator>();
        return builder;
    }

    /// <summary>Checks <see cref="DshIndexSiloOptions"/> and the storage provider it names when the silo starts.</summary>
    private sealed class DshIndexSiloOptionsValidator(IOptions<DshIndexSiloOptions> options, IServiceProvider services) : IConfigurationValidator
    {
        public void ValidateConfiguration()
        {
            try
            {
                options.Value.Validate();
                GrainStorageLookup.Find(services, options.Value.StorageName);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                throw new OrleansConfigurationException(e.Message, e);
            }
        }
    }
}
