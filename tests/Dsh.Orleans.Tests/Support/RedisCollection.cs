namespace Dsh.Orleans.Tests.Support;

/// <summary>Every cluster test shares one Redis server and runs one at a time (a 2-core machine runs one cluster well).</summary>
[CollectionDefinition(Name)]
public sealed class RedisCollection : ICollectionFixture<RedisServer>
{
    public const string Name = "redis";
}
