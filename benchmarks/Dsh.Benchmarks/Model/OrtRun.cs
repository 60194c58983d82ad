using Microsoft.ML.OnnxRuntime;

namespace Dsh.Benchmarks.Model;

/// <summary>ONNX Runtime sessions and runs as the benchmarks use them: 2 intra-op threads, full graph optimisation.</summary>
internal static class OrtRun
{
    public static InferenceSession Session(string path)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 2, InterOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        return new InferenceSession(path, options);
    }

    /// <summary>One inference on [batch, 3, S, S] inputs (S from each input's length); the length of the first output.</summary>
    public static int Run(InferenceSession session, int batch, params (string Name, float[] Data)[] inputs)
    {
        var values = inputs.Select(i =>
        {
            long side = (long)Math.Round(Math.Sqrt(i.Data.Length / (3.0 * batch)));
            return OrtValue.CreateTensorValueFromMemory(i.Data, [batch, 3, side, side]);
        }).ToList();
        try
        {
            using var options = new RunOptions();
            using var outputs = session.Run(options, inputs.Select(i => i.Name).ToArray(), values, session.OutputNames.Take(1).ToArray());
            return outputs[0].GetTensorDataAsSpan<float>().Length;
        }
        finally
        {
            values.ForEach(v => v.Dispose());
        }
    }
}
