using System.Reflection;
using Dsh.Native;
using Dsh.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace Dsh.Tests.Native;

/// <summary>
/// <see cref="HeldScalars"/>: its operations survive garbage collections on another thread, and no other code in the
/// Dsh assembly passes TorchSharp a <see cref="Scalar"/> that a collection could free during the call.
/// </summary>
public sealed class HeldScalarsTests
{
    [Fact]
    public void Operations_GiveExactResults_WhileAnotherThreadCollects()
    {
        // With a Scalar made for one call (TorchSharp's own add_(Tensor) makes one) this loop fails within a few hundred
        // thousand calls, once tiered compilation has optimised TorchSharp's methods.
        // The scope roots every intermediate tensor: an unrooted one could be finalized during a call just the same.
        using var scope = NewDisposeScope();
        using var a = zeros(4, dtype: ScalarType.Float64);
        using var b = ones(4, dtype: ScalarType.Float64);
        using var collector = new GarbageCollectingThread();
        const int Calls = 400_000;
        for (int i = 0; i < Calls; i++)
        {
            a.PlusInPlace(b);
            a.PlusInPlace(b, 0.5);
            a.TimesInPlace(1.0);
        }
        Assert.All(a.data<double>().ToArray(), v => Assert.Equal(1.5 * Calls, v));
        var c = a.Plus(b).Minus(1).DividedBy(1.5).Times(2).Plus(b, -2).Squared();
        Assert.All(c.data<double>().ToArray(), v => Assert.Equal(Math.Pow(2.0 * Calls - 2, 2), v));
    }

    [Fact]
    public void ComparisonsAndFills_MatchTorchSharpsOwn()
    {
        using var scope = NewDisposeScope();
        using var x = tensor(new double[] { -2, 0, 1, 3 });
        Assert.Equal(new[] { false, false, true, true }, x.GreaterThan(0).data<bool>().ToArray());
        Assert.Equal(new[] { true, false, false, false }, x.LessThan(0).data<bool>().ToArray());
        Assert.Equal(new[] { false, false, true, false }, x.EqualTo(1).data<bool>().ToArray());
        Assert.Equal(new double[] { 0.5, 0.5, 1, 3 }, x.AtLeast(0.5).data<double>().ToArray());
        var sums = zeros(2, dtype: ScalarType.Float64).IndexAdd(0, tensor(new long[] { 0, 1, 0, 1 }), x);
        Assert.Equal(new double[] { -1, 3 }, sums.data<double>().ToArray());
        var filled = empty(3, dtype: ScalarType.Float32);
        filled.FillInPlace(0.25);
        Assert.Equal(new[] { 0.25f, 0.25f, 0.25f }, filled.data<float>().ToArray());
    }

    [Fact]
    public void NoDshCode_PassesTorchSharpAScalarMadeForTheCall()
    {
        Assembly torchSharp = typeof(Scalar).Assembly;
        HashSet<MethodBase> makesScalars = TorchSharpMethodsThatMakeScalars(torchSharp);
        Assert.Contains(typeof(Tensor).GetMethod(nameof(Tensor.add_), [typeof(Tensor)])!, makesScalars); // the scan finds what it must
        Assert.Contains(typeof(Tensor).GetMethod(nameof(Tensor.square), Type.EmptyTypes)!, makesScalars);
        Assert.True(MakesModuleThatMakesScalars(typeof(nn).GetMethod(nameof(nn.BatchNorm2d))!, makesScalars)); // its batch counter
        Assert.True(InheritsForwardThatMakesScalars(typeof(TorchSharp.Modules.BatchNorm2d), makesScalars));

        var offenders = new List<string>();
        foreach (Type type in typeof(DshModel).Assembly.GetTypes())
        {
            // HeldScalars makes its scalars itself, but must not call a TorchSharp method that makes another
            bool held = type == typeof(HeldScalars) || type.DeclaringType == typeof(HeldScalars);
            if (InheritsForwardThatMakesScalars(type, makesScalars))
            {
                offenders.Add($"{type.FullName} runs TorchSharp's own forward, which makes a Scalar");
            }
            foreach (MethodBase method in MethodsOf(type))
            {
                foreach (MethodBase called in Calls(method))
                {
                    // a module's constructor calling its TorchSharp base's makes no module of the base's type
                    bool baseConstructor = method is ConstructorInfo && called is ConstructorInfo && type.IsSubclassOf(called.DeclaringType!);
                    if ((!held && MakesScalar(called)) || makesScalars.Contains(called) ||
                        (!baseConstructor && MakesModuleThatMakesScalars(called, makesScalars)))
                    {
                        offenders.Add($"{type.FullName}.{method.Name} calls {called.DeclaringType?.Name}.{called.Name}");
                    }
                }
            }
        }
        Assert.True(offenders.Count == 0, "use Dsh.Native.HeldScalars (or Dsh.Trunks.HeldBatchNorm2d) instead:\n" + string.Join("\n", offenders.Distinct()));
    }

    /// <summary>
    /// Whether a Dsh module runs a <c>forward</c> it inherits from TorchSharp that makes a Scalar (a subclass of
    /// TorchSharp's <c>BatchNorm</c> that does not override it). Its construction is not flagged: a Dsh type's
    /// constructor calls its base's.
    /// </summary>
    private static bool InheritsForwardThatMakesScalars(Type type, HashSet<MethodBase> makesScalars) =>
        typeof(nn.Module).IsAssignableFrom(type) &&
        type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)
            .Where(m => m.Name == "forward" && m.DeclaringType?.Assembly == typeof(Scalar).Assembly)
            .Any(m => makesScalars.Contains(m.Module.ResolveMethod(m.MetadataToken)!));

    /// <summary>
    /// Whether a call makes a TorchSharp module (a constructor or a factory such as <c>nn.BatchNorm2d</c>) whose
    /// <c>forward</c>, its own or inherited, makes a Scalar: the module's caller cannot hold it.
    /// </summary>
    private static bool MakesModuleThatMakesScalars(MethodBase called, HashSet<MethodBase> makesScalars)
    {
        Type? made = called is ConstructorInfo ? called.DeclaringType : (called as MethodInfo)?.ReturnType;
        if (made is null || made.Assembly != typeof(Scalar).Assembly || !typeof(nn.Module).IsAssignableFrom(made))
        {
            return false;
        }
        for (Type? type = made; type is not null && type.Assembly == typeof(Scalar).Assembly; type = type.BaseType)
        {
            if (MethodsOf(type).Any(m => m.Name == "forward" && makesScalars.Contains(m)))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Whether a call makes a Scalar: an implicit conversion or a ToScalar extension.</summary>
    private static bool MakesScalar(MethodBase called) =>
        (called.DeclaringType == typeof(Scalar) && called.Name == "op_Implicit") || called.DeclaringType == typeof(ScalarExtensionMethods);

    /// <summary>TorchSharp's methods that make a Scalar themselves or through another of its methods (add(Tensor), square(), …).</summary>
    private static HashSet<MethodBase> TorchSharpMethodsThatMakeScalars(Assembly torchSharp)
    {
        Type[] types;
        try
        {
            types = torchSharp.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            types = [.. e.Types.OfType<Type>()]; // types that need optional packages TorchSharp does not bring
        }
        var calls = new Dictionary<MethodBase, MethodBase[]>();
        foreach (Type type in types)
        {
            foreach (MethodBase method in MethodsOf(type))
            {
                calls[method] = [.. Calls(method)];
            }
        }
        var found = new HashSet<MethodBase>(calls.Where(kv => kv.Value.Any(MakesScalar)).Select(kv => kv.Key));
        for (bool grew = true; grew;)
        {
            grew = false;
            foreach (var (method, called) in calls)
            {
                if (!found.Contains(method) && called.Any(found.Contains))
                {
                    grew = found.Add(method);
                }
            }
        }
        return found;
    }

    private static IEnumerable<MethodBase> MethodsOf(Type type)
    {
        const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        try
        {
            return [.. type.GetMethods(All), .. type.GetConstructors(All)];
        }
        catch (Exception e) when (e is TypeLoadException or FileNotFoundException)
        {
            return [];
        }
    }

    /// <summary>
    /// The methods <paramref name="method"/>'s IL calls (call, callvirt, newobj: each opcode followed by a four-byte
    /// token). Scanning every byte may also read a token out of another instruction's operand; such a token rarely
    /// resolves, and one that did could only add a call, never hide one.
    /// </summary>
    private static IEnumerable<MethodBase> Calls(MethodBase method)
    {
        byte[]? il;
        try
        {
            il = method.GetMethodBody()?.GetILAsByteArray();
        }
        catch (Exception e) when (e is TypeLoadException or FileNotFoundException or BadImageFormatException)
        {
            yield break;
        }
        if (il is null)
        {
            yield break;
        }
        for (int i = 0; i + 4 < il.Length; i++)
        {
            if (il[i] is not (0x28 or 0x6F or 0x73))
            {
                continue;
            }
            MethodBase? called;
            try
            {
                called = method.Module.ResolveMethod(BitConverter.ToInt32(il, i + 1),
                    method.DeclaringType?.IsGenericType == true ? method.DeclaringType.GetGenericArguments() : null,
                    method.IsGenericMethod ? method.GetGenericArguments() : null);
            }
            catch (Exception e) when (e is ArgumentException or TypeLoadException or FileNotFoundException or BadImageFormatException or MissingMethodException)
            {
                continue;
            }
            if (called is not null)
            {
                yield return called;
            }
        }
    }
}
