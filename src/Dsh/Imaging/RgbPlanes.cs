using System.Runtime.Intrinsics;

namespace Dsh.Imaging;

/// <summary>Splits interleaved RGB bytes into three planes, 16 pixels per step with byte shuffles.</summary>
internal static class RgbPlanes
{
    private static readonly Vector128<byte>[] Masks = BuildMasks();

    /// <summary>Writes the R, G and B bytes of <paramref name="rgb"/> (3 bytes a pixel) to the three planes.</summary>
    public static void Split(ReadOnlySpan<byte> rgb, Span<byte> r, Span<byte> g, Span<byte> b)
    {
        int pixels = rgb.Length / 3;
        if (rgb.Length != pixels * 3 || r.Length < pixels || g.Length < pixels || b.Length < pixels)
        {
            throw new ArgumentException("Each plane needs one byte for every 3 input bytes.");
        }
        int i = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            Vector128<byte>[] m = Masks;
            for (; i <= pixels - 16; i += 16)
            {
                ReadOnlySpan<byte> block = rgb.Slice(i * 3, 48);
                Vector128<byte> a0 = Vector128.Create(block[..16]);
                Vector128<byte> a1 = Vector128.Create(block.Slice(16, 16));
                Vector128<byte> a2 = Vector128.Create(block.Slice(32, 16));
                Gather(a0, a1, a2, m[0], m[1], m[2]).CopyTo(r.Slice(i, 16));
                Gather(a0, a1, a2, m[3], m[4], m[5]).CopyTo(g.Slice(i, 16));
                Gather(a0, a1, a2, m[6], m[7], m[8]).CopyTo(b.Slice(i, 16));
            }
        }
        for (; i < pixels; i++)
        {
            r[i] = rgb[3 * i];
            g[i] = rgb[3 * i + 1];
            b[i] = rgb[3 * i + 2];
        }
    }

    private static Vector128<byte> Gather(
        Vector128<byte> a0, Vector128<byte> a1, Vector128<byte> a2, Vector128<byte> m0, Vector128<byte> m1, Vector128<byte> m2) =>
        Vector128.ShuffleNative(a0, m0) | Vector128.ShuffleNative(a1, m1) | Vector128.ShuffleNative(a2, m2);

    /// <summary>
    /// For channel c and source vector v, byte i of mask 3c + v is the position of pixel i's channel c inside v, or
    /// 0xFF (a zero lane on both x86 pshufb and Arm tbl) when it lies in another vector.
    /// </summary>
    private static Vector128<byte>[] BuildMasks()
    {
        var masks = new Vector128<byte>[9];
        Span<byte> lanes = stackalloc byte[16];
        for (int channel = 0; channel < 3; channel++)
        {
            for (int source = 0; source < 3; source++)
            {
                for (int i = 0; i < 16; i++)
                {
                    int k = 3 * i + channel;
                    lanes[i] = k / 16 == source ? (byte)(k % 16) : (byte)0xFF;
                }
                masks[3 * channel + source] = Vector128.Create(lanes);
            }
        }
        return masks;
    }
}
