using System.Globalization;
using Dsh.Evaluation;
using Dsh.Hashing;

namespace Dsh.Quality.QuickDraw;

/// <summary>mAP@all, tie-aware mAP@all and P@200 of one method, plus mAP@all per query category.</summary>
internal sealed record RetrievalScores(double MapAll, double TieAwareMapAll, double PrecisionAt200, IReadOnlyList<double> MapPerCategory)
{
    public static RetrievalScores Evaluate(BinaryCodeSet queries, int[] queryLabels, BinaryCodeSet gallery, int[] galleryLabels, int categories)
    {
        var options = new RetrievalEvaluationOptions { K = 200, MeasureSearchTime = false };
        RetrievalReport all = RetrievalEvaluation.Evaluate(queries, queryLabels, gallery, galleryLabels, options);
        var perCategory = new double[categories];
        for (int label = 0; label < categories; label++)
        {
            int[] rows = Enumerable.Range(0, queryLabels.Length).Where(i => queryLabels[i] == label).ToArray();
            BinaryCodeSet subset = BinaryCodeSet.FromCodes(rows.Select(i => queries[i]), queries.CodeLength);
            perCategory[label] = RetrievalEvaluation.Evaluate(subset, rows.Select(i => queryLabels[i]).ToArray(), gallery, galleryLabels, options).MapAll;
        }
        return new RetrievalScores(all.MapAll, all.TieAwareMapAll, all.PrecisionAtK, perCategory);
    }

    /// <summary>A Markdown row: method, bits, mAP@all, tie-aware mAP@all, P@200, then the extra cell.</summary>
    public string Row(string method, int bits, string extra) => string.Create(CultureInfo.InvariantCulture,
        $"| {method} | {bits} | {MapAll:F3} | {TieAwareMapAll:F3} | {PrecisionAt200:F3} | {extra} |");

    public const string Header = "| method | bits | mAP@all | tie-aware mAP@all | P@200 | time |\n| --- | ---: | ---: | ---: | ---: | ---: |";

    /// <summary>A Markdown row of per-category mAP@all.</summary>
    public string CategoryRow(string method) =>
        $"| {method} | " + string.Join(" | ", MapPerCategory.Select(m => m.ToString("F3", CultureInfo.InvariantCulture))) + " |";

    public static string CategoryHeader(IReadOnlyList<string> categories) =>
        "| method (mAP@all per query category) | " + string.Join(" | ", categories) + " |\n| --- |" + string.Concat(categories.Select(_ => " ---: |"));
}
