using TorchSharp;
using Tensor = TorchSharp.torch.Tensor;

namespace Dsh.Native;

/// <summary>
/// Tensor operations whose scalar arguments stay alive until libtorch has read them. TorchSharp 0.107 hands a
/// <see cref="Scalar"/>'s native handle to libtorch without keeping the managed object reachable, and frees the native
/// value in the object's finalizer; so a <see cref="Scalar"/> made for one call (every implicit conversion, as in
/// <c>x.mul(2)</c>, and the alpha of 1 that TorchSharp itself makes in <c>add(Tensor)</c>, <c>add_(Tensor)</c> and
/// <c>square()</c>) can be finalized by a garbage collection on another thread while the call still reads it. The
/// call then fails ("Expected false to be true" from <c>c10::Scalar::toFloat</c>) or reads whatever the freed memory
/// holds. Any thread that allocates can set off such a collection (a server's other requests, a progress reporter); one
/// long training run failed so. Here every scalar is either a constant held in a static field (never collected) or
/// made, used and disposed within the method (the <c>using</c> keeps it reachable until the call returns). Library code calls these instead of the
/// TorchSharp overloads that take or make a <see cref="Scalar"/>; <c>HeldScalarsTests</c> checks the compiled assembly
/// for it. TorchSharp's batch-norm modules make one for their batch counter in training mode: library code uses
/// <see cref="Trunks.HeldBatchNorm2d"/> instead.
/// </summary>
internal static class HeldScalars
{
    private static readonly Scalar One = 1.ToScalar();
    private static readonly Scalar Two = 2.ToScalar();

    /// <summary><paramref name="a"/> + <paramref name="b"/>.</summary>
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, One);

    /// <summary><paramref name="a"/> + <paramref name="alpha"/> · <paramref name="b"/>.</summary>
    public static Tensor Plus(this Tensor a, Tensor b, double alpha) =>
        Held(alpha, s => a.add(b, s));

    /// <summary><paramref name="a"/> + <paramref name="value"/>, elementwise.</summary>
    public static Tensor Plus(this Tensor a, double value) =>
        Held(value, s => a.add(s, One));

    /// <summary><paramref name="a"/> += <paramref name="b"/>, in place.</summary>
    public static Tensor PlusInPlace(this Tensor a, Tensor b) => a.add_(b, One);

    /// <summary><paramref name="a"/> += <paramref name="alpha"/> · <paramref name="b"/>, in place.</summary>
    public static Tensor PlusInPlace(this Tensor a, Tensor b, double alpha) =>
        Held(alpha, s => a.add_(b, s));

    /// <summary><paramref name="a"/> += 1, in place (an integer 1: an integer tensor, such as a counter, stays one).</summary>
    public static Tensor IncrementInPlace(this Tensor a) => a.add_(One, One);

    /// <summary><paramref name="a"/> − <paramref name="value"/>, elementwise.</summary>
    public static Tensor Minus(this Tensor a, double value) =>
        Held(value, s => a.sub(s));

    /// <summary><paramref name="a"/> · <paramref name="value"/>.</summary>
    public static Tensor Times(this Tensor a, double value) =>
        Held(value, s => a.mul(s));

    /// <summary><paramref name="a"/> ·= <paramref name="value"/>, in place.</summary>
    public static Tensor TimesInPlace(this Tensor a, double value) =>
        Held(value, s => a.mul_(s));

    /// <summary><paramref name="a"/> / <paramref name="value"/>.</summary>
    public static Tensor DividedBy(this Tensor a, double value) =>
        Held(value, s => a.div(s));

    /// <summary><paramref name="a"/>², elementwise (what <c>square()</c> computes, with a held exponent).</summary>
    public static Tensor Squared(this Tensor a) => a.pow(Two);

    /// <summary>Whether each element is greater than <paramref name="value"/>.</summary>
    public static Tensor GreaterThan(this Tensor a, double value) =>
        Held(value, s => a.gt(s));

    /// <summary>Whether each element is less than <paramref name="value"/>.</summary>
    public static Tensor LessThan(this Tensor a, double value) =>
        Held(value, s => a.lt(s));

    /// <summary>Whether each element equals <paramref name="value"/>.</summary>
    public static Tensor EqualTo(this Tensor a, double value) =>
        Held(value, s => a.eq(s));

    /// <summary>Each element, or <paramref name="min"/> where it is smaller.</summary>
    public static Tensor AtLeast(this Tensor a, double min) =>
        Held(min, s => a.clamp_min(s));

    /// <summary>
    /// <paramref name="a"/> with <paramref name="source"/>'s slices added at <paramref name="index"/> along
    /// <paramref name="dim"/> (<c>index_add</c> with alpha 1).
    /// </summary>
    public static Tensor IndexAdd(this Tensor a, long dim, Tensor index, Tensor source) => a.index_add(dim, index, source, One);

    /// <summary>Sets every element of <paramref name="a"/> to <paramref name="value"/>, in place.</summary>
    public static Tensor FillInPlace(this Tensor a, double value) =>
        Held(value, s => a.fill_(s));

    /// <summary>
    /// <paramref name="call"/> given <paramref name="value"/> as a <see cref="Scalar"/> that stays reachable until the
    /// call has returned, then disposed.
    /// </summary>
    private static Tensor Held(double value, Func<Scalar, Tensor> call)
    {
        using Scalar s = value.ToScalar();
        return call(s);
    }
}
