namespace Dsh.Training;

/// <summary>Derives independent, reproducible seeds from (run seed, epoch, step, stream) — SplitMix64.</summary>
internal static class SeedMixer
{
    public static long Mix(int seed, long a, long b = 0, long c = 0)
    {
        ulong x = (ulong)(uint)seed;
        x = Step(x ^ (ulong)a);
        x = Step(x ^ (ulong)b);
        x = Step(x ^ (ulong)c);
        return (long)(x >> 1);
    }

    public static int MixInt(int seed, long a, long b = 0, long c = 0) => (int)(Mix(seed, a, b, c) & int.MaxValue);

    /// <summary>The seed member <paramref name="member"/> of a network draws its initial codes, batch order and augmentation from: the run's for the first.</summary>
    public static int MemberSeed(int seed, int member) => member == 0 ? seed : MixInt(seed, -3, member);

    private static ulong Step(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
