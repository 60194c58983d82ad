using System.Net;

namespace Dsh.Cli.Serve;

/// <summary>
/// The <c>Host</c> headers the server answers (ASP.NET Core host filtering), derived from the URLs it listens on: for a
/// loopback URL the loopback names only, so a page on another site cannot reach the server through a DNS name it points
/// at 127.0.0.1 (DNS rebinding); for a named host that name; for an any-interface URL (<c>0.0.0.0</c>, <c>[::]</c>,
/// <c>*</c>, <c>+</c>) any host.
/// </summary>
internal static class AllowedHosts
{
    private static readonly string[] Loopback = ["localhost", "127.0.0.1", "[::1]"];

    public static List<string> For(IEnumerable<string> urls)
    {
        var hosts = new List<string>();
        foreach (string url in urls)
        {
            (Uri uri, bool anyHost) = Parse(url);
            if (anyHost)
            {
                return ["*"];
            }
            if (uri.IsLoopback)
            {
                hosts.AddRange(Loopback);
            }
            else
            {
                hosts.Add(uri.Host);
            }
        }
        return hosts.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>The URL with Kestrel's wildcard hosts (<c>*</c>, <c>+</c>) read as 0.0.0.0, and whether it listens on every interface.</summary>
    /// <exception cref="UriFormatException">Not an absolute URL.</exception>
    public static (Uri Uri, bool AnyHost) Parse(string url)
    {
        string normal = url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal);
        var uri = new Uri(normal, UriKind.Absolute);
        bool any = IPAddress.TryParse(uri.Host.Trim('[', ']'), out IPAddress? address)
            && (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any));
        return (uri, any);
    }
}
