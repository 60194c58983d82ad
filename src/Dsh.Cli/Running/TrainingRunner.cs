using System.Diagnostics;
using System.Globalization;
using Dsh.Cli.Progress;
using Dsh.Data;
using Dsh.Training;

namespace Dsh.Cli.Running;

/// <summary>Loads a folder dataset and trains a model on it, turning <see cref="DshProgress"/> into progress bars or lines.</summary>
internal static class TrainingRunner
{
    /// <summary>
    /// Loads <c>sketches/&lt;category&gt;/…</c> and <c>photos/&lt;category&gt;/…</c>, every image decoded once within the
    /// default limits; each file skipped is reported on <paramref name="sink"/>, or stops the command when <paramref name="strict"/>.
    /// </summary>
    /// <exception cref="InputDataException">No category has both sketches and photos, or (strict) a file was skipped.</exception>
    public static SbirDataset LoadDataset(string sketches, string photos, IProgressSink sink, bool strict = false)
    {
        SbirDataset dataset;
        try
        {
            dataset = SbirDataset.FromFolders(sketches, photos, new SbirLoadOptions { Strict = strict });
        }
        catch (SbirDatasetException e)
        {
            throw new InputDataException(e.Message, e);
        }
        DatasetLoadReport report = dataset.Report;
        sink.Message($"data: {report.CategoryCount} categories, {report.SketchCount} sketches, {report.PhotoCount} photos" +
            (report.IsClean ? "" : $" (skipped {report.SkippedFiles.Count} files, {report.SkippedCategories.Count} categories: " +
                string.Join("; ", report.SkippedCategories.Take(3).Select(c => $"{c.Name}: {c.Reason}")) + ")"));
        foreach (SkippedFile file in report.SkippedFiles)
        {
            sink.Message($"skipped '{file.Path}': {file.Reason}");
        }
        return dataset;
    }

    /// <summary>Trains and returns the model and the wall time.</summary>
    public static (DshModel Model, TimeSpan Elapsed) Train(DshTrainerOptions options, SbirDataset dataset, IProgressSink sink, CancellationToken cancellationToken)
    {
        IProgressTask? task = null, encoding = null;
        var clock = Stopwatch.StartNew();
        var progress = new SyncProgress<DshProgress>(p =>
        {
            if (p.Phase == TrainingPhase.NetworkStep)
            {
                task ??= sink.AddTask("train", p.TotalSteps);
                task.SetTotal(p.TotalSteps);
                task.Update(p.Step, Detail(p));
            }
            else if (p.Phase == TrainingPhase.Encoding)
            {
                encoding?.Complete();
                encoding = sink.AddTask($"train: epoch {p.Epoch}/{p.Epochs}: code update", 0);
                encoding.Update(0, p.Message);
            }
            else if (p.Phase == TrainingPhase.CodeUpdate && encoding is not null)
            {
                encoding.Complete(p.Message);
                encoding = null;
            }
            else if (p.Phase == TrainingPhase.Done)
            {
                task?.Complete(Detail(p));
            }
            else if (p.Message.Length > 0)
            {
                sink.Message($"train: {(p.Epoch > 0 ? $"epoch {p.Epoch}/{p.Epochs}: " : "")}{p.Message}");
            }
        });
        DshModel model = new DshTrainer(options).Fit(dataset, progress, cancellationToken);
        return (model, clock.Elapsed);
    }

    /// <summary>
    /// Trains, saves the model to <paramref name="modelPath"/> (creating its folder), then runs <paramref name="then"/> on
    /// it; the model is disposed when saving or <paramref name="then"/> fails, and returned to the caller otherwise.
    /// </summary>
    public static (DshModel Model, TimeSpan Elapsed, T Result) TrainAndSave<T>(DshTrainerOptions options, SbirDataset dataset, string modelPath,
        IProgressSink sink, CancellationToken cancellationToken, Func<DshModel, T> then)
    {
        var (model, elapsed) = Train(options, dataset, sink, cancellationToken);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(modelPath)!);
            model.Save(modelPath);
            return (model, elapsed, then(model));
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>The detail of a training line: epoch, batch loss, per-term losses, speed, ETA.</summary>
    internal static string Detail(DshProgress p)
    {
        var parts = new List<string> { $"epoch {p.Epoch}/{p.Epochs}" };
        if (!double.IsNaN(p.BatchLoss))
        {
            parts.Add("loss " + p.BatchLoss.ToString("0.000", CultureInfo.InvariantCulture));
        }
        if (p.Terms is { } t)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture,
                $"pairwise/pair {t.PairwisePerPair:0.00} semantic {t.SemanticPhoto:0.0}/{t.SemanticSketch:0.0}") +
                (double.IsNaN(t.QuantizationPhoto) ? "" : string.Create(CultureInfo.InvariantCulture, $" quant {t.QuantizationPhoto:0.0}/{t.QuantizationSketch:0.0}")) +
                string.Create(CultureInfo.InvariantCulture, $" total {t.Total:#,0}"));
        }
        if (p.ItemsPerSecond > 0)
        {
            parts.Add(p.ItemsPerSecond.ToString("0.0", CultureInfo.InvariantCulture) + " items/s");
        }
        parts.Add(p.Eta is { } eta ? "ETA " + Format.Duration(eta) : "elapsed " + Format.Duration(p.Elapsed));
        return string.Join(", ", parts);
    }
}

/// <summary>An <see cref="IProgress{T}"/> that runs the handler on the reporting thread (Progress&lt;T&gt; posts to the thread pool).</summary>
internal sealed class SyncProgress<T>(Action<T> handler) : IProgress<T>
{
    public void Report(T value) => handler(value);
}
