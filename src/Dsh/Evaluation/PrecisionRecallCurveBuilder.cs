namespace Dsh.Evaluation;

/// <summary>Sums, query by query, the per-radius terms of the Hamming-radius precision–recall curve.</summary>
internal sealed class PrecisionRecallCurveBuilder
{
    private readonly double[] _precisionSum;
    private readonly double[] _recallSum;
    private readonly double[] _retrievedSum;
    private readonly int[] _withResults;
    private int _queries;
    private int _queriesWithRelevant;

    public PrecisionRecallCurveBuilder(int codeLength)
    {
        _precisionSum = new double[codeLength + 1];
        _recallSum = new double[codeLength + 1];
        _retrievedSum = new double[codeLength + 1];
        _withResults = new int[codeLength + 1];
    }

    /// <summary>Adds a query given its tie groups: items and relevant items at each distance 0..codeLength.</summary>
    public void Add(ReadOnlySpan<int> sizes, ReadOnlySpan<int> relevant)
    {
        long relevantTotal = 0;
        foreach (int r in relevant)
        {
            relevantTotal += r;
        }

        _queries++;
        if (relevantTotal > 0)
        {
            _queriesWithRelevant++;
        }

        long retrieved = 0;
        long hits = 0;
        for (int radius = 0; radius < sizes.Length; radius++)
        {
            retrieved += sizes[radius];
            hits += relevant[radius];
            _retrievedSum[radius] += retrieved;
            if (retrieved > 0)
            {
                _precisionSum[radius] += (double)hits / retrieved;
                _withResults[radius]++;
            }

            if (relevantTotal > 0)
            {
                _recallSum[radius] += (double)hits / relevantTotal;
            }
        }
    }

    /// <summary>The curve, radius 0 to codeLength.</summary>
    public PrecisionRecallPoint[] Build()
    {
        var points = new PrecisionRecallPoint[_precisionSum.Length];
        for (int r = 0; r < points.Length; r++)
        {
            points[r] = new PrecisionRecallPoint(
                r,
                _withResults[r] == 0 ? 0 : _precisionSum[r] / _withResults[r],
                _queriesWithRelevant == 0 ? 0 : _recallSum[r] / _queriesWithRelevant,
                _queries == 0 ? 0 : _retrievedSum[r] / _queries,
                _withResults[r]);
        }

        return points;
    }
}
