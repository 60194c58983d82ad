using Orleans.Storage;

namespace Dsh.Orleans.Tests.Support;

/// <summary>When an injected write fails: before it reaches storage, or after it was stored (an unknown outcome).</summary>
public enum WriteFault
{
    BeforeWrite,
    AfterWrite,
}

/// <summary>
/// Grain storage that passes everything to the real (Redis) provider, except the next write whose state name matches
/// a planned fault: that one fails, before or after really writing. In-process silos share the plan.
/// </summary>
public sealed class FaultInjectingGrainStorage(IGrainStorage inner) : IGrainStorage
{
    private static readonly object Gate = new();
    private static (Func<string, bool> Matches, WriteFault Fault, Func<Exception> Error)? _plan;

    /// <summary>Makes the next write whose state name matches fail as described (one shot).</summary>
    public static void FailNextWrite(Func<string, bool> stateNameMatches, WriteFault fault, Func<Exception> error)
    {
        lock (Gate)
        {
            _plan = (stateNameMatches, fault, error);
        }
    }

    /// <summary>Whether the planned fault is still waiting for its write.</summary>
    public static bool Pending
    {
        get
        {
            lock (Gate)
            {
                return _plan is not null;
            }
        }
    }

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ReadStateAsync(stateName, grainId, grainState);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ClearStateAsync(stateName, grainId, grainState);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        (Func<string, bool> Matches, WriteFault Fault, Func<Exception> Error)? plan;
        lock (Gate)
        {
            plan = _plan is { } p && p.Matches(stateName) ? p : null;
            if (plan is not null)
            {
                _plan = null;
            }
        }

        if (plan is { Fault: WriteFault.BeforeWrite } before)
        {
            throw before.Error();
        }

        await inner.WriteStateAsync(stateName, grainId, grainState);
        if (plan is { Fault: WriteFault.AfterWrite } after)
        {
            throw after.Error();
        }
    }
}
