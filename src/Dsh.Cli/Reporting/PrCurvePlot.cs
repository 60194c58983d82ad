using Dsh.Evaluation;
using OxyPlot.Axes;
using OxyPlot.Legends;
using OxyPlot.Series;
using OxyPlot;

namespace Dsh.Cli.Reporting;

/// <summary>Draws the Hamming-radius precision–recall curve as a PNG with OxyPlot (SkiaSharp renderer).</summary>
internal static class PrCurvePlot
{
    /// <summary>Width of the PNG in pixels.</summary>
    public const int Width = 800;

    /// <summary>Height of the PNG in pixels.</summary>
    public const int Height = 600;

    /// <summary>Writes the curve of <paramref name="report"/> to <paramref name="path"/>.</summary>
    public static void Write(RetrievalReport report, string title, string path)
    {
        var model = new PlotModel { Title = title, Background = OxyColors.White };
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Bottom, Title = "Recall", Minimum = 0, Maximum = 1, MajorGridlineStyle = LineStyle.Dot });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Left, Title = "Precision", Minimum = 0, Maximum = 1, MajorGridlineStyle = LineStyle.Dot });
        var curve = new LineSeries
        {
            Title = $"Hamming radius 0…{report.Bits} (mAP@all {Format.Metric(report.MapAll)})",
            MarkerType = MarkerType.Circle,
            MarkerSize = 3,
            StrokeThickness = 2,
            Color = OxyColor.FromRgb(0x1f, 0x77, 0xb4),
        };
        foreach (PrecisionRecallPoint point in report.PrecisionRecallCurve.Where(p => p.QueriesWithResults > 0))
        {
            curve.Points.Add(new DataPoint(point.Recall, point.Precision));
        }
        model.Series.Add(curve);
        model.Legends.Add(new Legend { LegendPosition = LegendPosition.BottomLeft, LegendBackground = OxyColor.FromAColor(220, OxyColors.White) });
        string temp = path + ".tmp";
        using (FileStream stream = File.Create(temp))
        {
            // Text shaping would need HarfBuzz's native library; plain Skia text needs nothing beyond libSkiaSharp.
            new OxyPlot.SkiaSharp.PngExporter { Width = Width, Height = Height, UseTextShaping = false }.Export(model, stream);
        }
        File.Move(temp, path, overwrite: true);
    }
}
