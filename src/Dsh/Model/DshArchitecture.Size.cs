using System.Text.Json.Serialization;
using Dsh.Model;
using Dsh.Trunks;

namespace Dsh;

public sealed partial record DshArchitecture
{
    /// <summary>
    /// The number of learnable parameters a <see cref="DshNetwork"/> built from this architecture has (each shared
    /// tensor once, frozen stages included), computed from the shapes alone: equal to
    /// <c>new DshNetwork(this).ParameterCount</c> without building anything. <see cref="long.MaxValue"/> when the count
    /// does not fit in 64 bits. Not saved in JSON.
    /// </summary>
    /// <exception cref="ArgumentException">The architecture is invalid (see <see cref="Validate"/>).</exception>
    [JsonIgnore]
    public long ParameterCount => Sum(entry => entry.IsParameter ? entry.Elements : 0);

    /// <summary>
    /// The bytes a <see cref="DshNetwork"/> built from this architecture holds in its <c>state_dict</c>: the float32
    /// parameters plus the batch norms' running statistics (float32) and batch counters (int64), which are not
    /// parameters but are saved and loaded with them. It is what a model file's weights take and what loading one
    /// allocates for them. <see cref="long.MaxValue"/> when it does not fit in 64 bits. Not saved in JSON.
    /// </summary>
    /// <exception cref="ArgumentException">The architecture is invalid (see <see cref="Validate"/>).</exception>
    [JsonIgnore]
    public long StateByteCount => Sum(entry => entry.Bytes);

    /// <summary>The network's <c>state_dict</c> keys, shapes and element types, from the shapes alone.</summary>
    internal IReadOnlyList<StateEntry> StateLayout()
    {
        Validate();
        return DshStateLayout.Of(this);
    }

    private long Sum(Func<StateEntry, long> measure)
    {
        Validate();
        try
        {
            return DshStateLayout.Of(this).Aggregate(0L, (total, entry) => checked(total + measure(entry)));
        }
        catch (OverflowException)
        {
            return long.MaxValue;
        }
    }
}
