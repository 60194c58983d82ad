using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace Dsh.Orleans.Grains;

/// <summary>Finds the named grain storage provider, with an error that says how to register it.</summary>
internal static class GrainStorageLookup
{
    public static IGrainStorage Find(IServiceProvider services, string name) =>
        services.GetKeyedService<IGrainStorage>(name) ?? throw new InvalidOperationException(
            $"No grain storage named '{name}' is registered on this silo. Register one before UseDshIndex, e.g. siloBuilder.AddRedisGrainStorage(\"{name}\", …) " +
            "(or AddMemoryGrainStorage for tests), or set DshIndexSiloOptions.StorageName to an existing provider.");
}
