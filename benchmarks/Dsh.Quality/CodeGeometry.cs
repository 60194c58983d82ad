using System.Globalization;
using Dsh.Hashing;

namespace Dsh.Quality;

/// <summary>
/// The <c>geometry=1</c> lines: where the validation codes lie. Mean Hamming distance from a query sketch to the gallery
/// photos of its class and to those of other classes, the distances between the classes' photo codes (each class's
/// bitwise majority), how often a sketch's and a gallery photo's nearest class code is its own, and the Hamming mAP the
/// sketches would get if every gallery photo had its class's code (what a photo side without strays would give).
/// </summary>
internal static class CodeGeometry
{
    public static void Run(DshTrainAndEncode run, Action<string> say, IReadOnlyList<string>? categoryNames = null)
    {
        var inv = CultureInfo.InvariantCulture;
        BinaryCodeSet gallery = run.Gallery, queries = run.Queries;
        int k = gallery.CodeLength;
        int classes = run.GalleryLabels.Max() + 1;
        double same = 0, other = 0;
        long sameCount = 0, otherCount = 0;
        for (int q = 0; q < queries.Count; q++)
        {
            for (int g = 0; g < gallery.Count; g++)
            {
                int d = BinaryCode.Distance(queries[q], gallery[g]);
                if (run.QueryLabels[q] == run.GalleryLabels[g])
                {
                    same += d;
                    sameCount++;
                }
                else
                {
                    other += d;
                    otherCount++;
                }
            }
        }
        var votes = new int[classes, k];
        for (int g = 0; g < gallery.Count; g++)
        {
            for (int b = 0; b < k; b++)
            {
                votes[run.GalleryLabels[g], b] += gallery[g][b] ? 1 : -1;
            }
        }
        var centres = new BinaryCode[classes];
        for (int c = 0; c < classes; c++)
        {
            var signs = new float[k];
            for (int b = 0; b < k; b++)
            {
                signs[b] = votes[c, b] >= 0 ? 1 : -1;
            }
            centres[c] = BinaryCode.FromSigns(signs);
        }
        var between = new List<int>();
        for (int a = 0; a < classes; a++)
        {
            for (int b = a + 1; b < classes; b++)
            {
                between.Add(BinaryCode.Distance(centres[a], centres[b]));
            }
        }
        int nearestOwn = 0;
        var confusion = new int[classes, classes];
        for (int q = 0; q < queries.Count; q++)
        {
            int best = Enumerable.Range(0, classes).MinBy(c => BinaryCode.Distance(queries[q], centres[c]));
            nearestOwn += best == run.QueryLabels[q] ? 1 : 0;
            confusion[run.QueryLabels[q], best]++;
        }
        int photosNearestOwn = 0;
        for (int g = 0; g < gallery.Count; g++)
        {
            int best = Enumerable.Range(0, classes).MinBy(c => BinaryCode.Distance(gallery[g], centres[c]));
            photosNearestOwn += best == run.GalleryLabels[g] ? 1 : 0;
        }
        BinaryCodeSet centred = BinaryCodeSet.FromCodes(run.GalleryLabels.Select(c => centres[c]), k);
        double centredMap = Dsh.Evaluation.RankedRetrievalEvaluation.Evaluate(queries, null, run.QueryLabels, null, centred, null,
            run.GalleryLabels, null, RerankMode.None, 1).MapAll;
        say(string.Create(inv, $"code geometry ({k} bits): sketch to photos of its class {same / sameCount:F1} bits, to other classes' photos {other / otherCount:F1}; " +
            $"between classes' photo codes min {between.Min()} / mean {between.Average():F1} / max {between.Max()}; sketches nearest their own class's code {nearestOwn / (double)queries.Count:F3}; " +
            $"gallery photos nearest their own class's code {photosNearestOwn / (double)gallery.Count:F3}; mAP with every photo at its class's code {centredMap:F3}"));
        // Which class's code each query sketch lies nearest (rows: the sketch's class), beside the Hamming distance
        // between the classes' photo codes: where the sketches that land in another class go.
        string Name(int c) => categoryNames is not null && c < categoryNames.Count ? categoryNames[c] : c.ToString(inv);
        say("| query sketches of | " + string.Join(" | ", Enumerable.Range(0, classes).Select(Name)) + " | own class's code nearest |");
        say("| --- |" + string.Concat(Enumerable.Repeat(" ---: |", classes + 1)));
        for (int a = 0; a < classes; a++)
        {
            int total = Enumerable.Range(0, classes).Sum(b => confusion[a, b]);
            say(string.Create(inv, $"| {Name(a)} | ") + string.Join(" | ", Enumerable.Range(0, classes).Select(b => confusion[a, b].ToString(inv))) +
                string.Create(inv, $" | {(total == 0 ? double.NaN : confusion[a, a] / (double)total):F3} |"));
        }
        say("| photo codes' distance (bits) | " + string.Join(" | ", Enumerable.Range(0, classes).Select(Name)) + " |");
        say("| --- |" + string.Concat(Enumerable.Repeat(" ---: |", classes)));
        for (int a = 0; a < classes; a++)
        {
            say($"| {Name(a)} | " + string.Join(" | ", Enumerable.Range(0, classes).Select(b => BinaryCode.Distance(centres[a], centres[b]).ToString(inv))) + " |");
        }
    }
}
