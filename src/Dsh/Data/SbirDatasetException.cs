namespace Dsh.Data;

/// <summary>
/// A dataset could not be loaded as asked: <see cref="SbirLoadOptions.Strict"/> was set and something was skipped,
/// or no category has both sketches and photos. The message says what and where; <see cref="Report"/> has the details.
/// </summary>
public sealed class SbirDatasetException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong and where.</param>
    /// <param name="report">The load report at the time of the failure.</param>
    public SbirDatasetException(string message, DatasetLoadReport report)
        : base(message)
    {
        ArgumentNullException.ThrowIfNull(report);
        Report = report;
    }

    /// <summary>What was kept and skipped.</summary>
    public DatasetLoadReport Report { get; }
}
