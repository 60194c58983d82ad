namespace Dsh.Semantics;

/// <summary>Small float64 helpers for building class vectors.</summary>
internal static class VectorMath
{
    /// <summary>v / ‖v‖₂ as float32, or all zeros when ‖v‖ = 0.</summary>
    public static float[] Normalize(double[] v)
    {
        double sum = 0;
        foreach (double x in v)
        {
            sum += x * x;
        }
        double norm = Math.Sqrt(sum);
        var result = new float[v.Length];
        if (norm > 0)
        {
            for (int i = 0; i < v.Length; i++)
            {
                result[i] = (float)(v[i] / norm);
            }
        }
        return result;
    }
}
