using System.Globalization;
using Dsh.Data;

namespace Dsh.Quality;

/// <summary>
/// The <c>expand=1</c> rows of <c>dsh-pacs</c>: average query expansion. Each query's first Hamming ranking gives its
/// first k gallery photos; the query becomes w · tanh(its real-valued output) + the mean of those photos' codes (±1),
/// and is searched again, its code the new query's signs (ties in gallery order).
/// </summary>
internal static class QueryExpansionProbe
{
    public static void Run(DshTrainAndEncode run, IReadOnlyList<SbirItem> queries, IReadOnlyList<SbirItem> gallery, int depth, Action<string> say)
    {
        var inv = CultureInfo.InvariantCulture;
        int bits = run.Model.CodeLength;
        IReadOnlyList<float[]> q = run.QueryEmbeddings!, g = run.GalleryEmbeddings!;
        float[][] galleryCodes = [.. g.Select(e => e.Select(v => v >= 0 ? 1f : -1f).ToArray())];
        // each query's first ranking: Hamming distance, ties by gallery position
        int[][] firstRanking = [.. q.Select(e =>
        {
            float[] signs = [.. e.Select(v => v >= 0 ? 1f : -1f)];
            return Enumerable.Range(0, galleryCodes.Length)
                .OrderBy(i => bits - (int)Dot(signs, galleryCodes[i])).ThenBy(i => i).ToArray();
        })];
        string?[] queryGroups = [.. queries.Select(x => x.Group)];
        string?[] galleryGroups = [.. gallery.Select(x => x.Group)];
        var galleryCodeSet = ImageViews.Codes(g, bits);
        say(string.Create(inv, $"| query expansion (first k photos' codes averaged) | mAP@all | re-ranked (codes, depth {depth}) | P@10 |"));
        say("| --- | ---: | ---: | ---: |");
        say(ImageViews.Row("none", run, ImageViews.Codes(q, bits), q, queryGroups, galleryCodeSet, g, galleryGroups, depth));
        foreach (int k in new[] { 3, 5, 10, 20, 40 })
        {
            foreach (float w in new[] { 0.5f, 1f, 2f })
            {
                IReadOnlyList<float[]> expanded = [.. q.Select((e, n) =>
                {
                    float[] x = [.. e.Select(v => w * MathF.Tanh(v))];
                    foreach (int i in firstRanking[n].Take(k))
                    {
                        for (int j = 0; j < bits; j++)
                        {
                            x[j] += galleryCodes[i][j] / k;
                        }
                    }
                    return x;
                })];
                say(ImageViews.Row(string.Create(inv, $"k = {k}, w = {w}"), run, ImageViews.Codes(expanded, bits), expanded, queryGroups,
                    galleryCodeSet, g, galleryGroups, depth));
            }
        }
    }

    private static float Dot(float[] a, float[] b)
    {
        float s = 0;
        for (int i = 0; i < a.Length; i++)
        {
            s += a[i] * b[i];
        }
        return s;
    }
}
