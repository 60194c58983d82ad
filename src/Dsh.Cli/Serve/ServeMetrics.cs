using System.Diagnostics.Metrics;

namespace Dsh.Cli.Serve;

/// <summary>
/// The server's own instruments on the meter <c>Dsh.Serve</c> (request counts and durations per route come from ASP.NET
/// Core's <c>Microsoft.AspNetCore.Hosting</c> meter): searches, encode and search times, gallery changes, refusals.
/// </summary>
internal sealed class ServeMetrics
{
    /// <summary>The meter's name, for <c>dotnet-counters monitor --counters Dsh.Serve</c> or an OpenTelemetry exporter.</summary>
    public const string MeterName = "Dsh.Serve";

    public ServeMetrics(IMeterFactory meters)
    {
        Meter meter = meters.Create(MeterName);
        Searches = meter.CreateCounter<long>("dsh.serve.searches", "{search}", "Searches answered.");
        EncodeDuration = meter.CreateHistogram<double>("dsh.serve.encode.duration", "ms", "Time to decode and encode one uploaded image.");
        SearchDuration = meter.CreateHistogram<double>("dsh.serve.search.duration", "ms", "Time to rank the gallery for one code.");
        PhotosAdded = meter.CreateCounter<long>("dsh.serve.photos.added", "{photo}", "Photos added to the gallery (acknowledged after the file holds them).");
        PhotosRemoved = meter.CreateCounter<long>("dsh.serve.photos.removed", "{photo}", "Photos removed from the gallery.");
        Refused = meter.CreateCounter<long>("dsh.serve.refused", "{request}", "Requests refused, by reason (busy, too-large, undecodable, media-type, cross-site).");
    }

    public Counter<long> Searches { get; }

    public Histogram<double> EncodeDuration { get; }

    public Histogram<double> SearchDuration { get; }

    public Counter<long> PhotosAdded { get; }

    public Counter<long> PhotosRemoved { get; }

    public Counter<long> Refused { get; }

    public void Refuse(string reason) => Refused.Add(1, new KeyValuePair<string, object?>("reason", reason));
}
