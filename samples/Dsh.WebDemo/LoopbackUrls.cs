using System.Globalization;

namespace Dsh.WebDemo;

/// <summary>Checks that every listening URL is plain HTTP on the IPv4 loopback (the demo never listens elsewhere).</summary>
public static class LoopbackUrls
{
    /// <summary>The URLs of a <c>--urls</c> value (';'-separated), with <c>localhost</c> turned into 127.0.0.1.</summary>
    /// <exception cref="DemoOptionsException">A URL is not http://127.0.0.1:PORT or http://localhost:PORT.</exception>
    public static IReadOnlyList<string> Parse(string value)
    {
        var urls = new List<string>();
        foreach (string part in value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(part, UriKind.Absolute, out Uri? uri) || uri.Scheme != Uri.UriSchemeHttp)
            {
                throw new DemoOptionsException($"--urls: '{part}' is not an http:// URL (the demo serves plain HTTP on 127.0.0.1).");
            }
            if (uri.Host != "127.0.0.1" && !uri.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
            {
                throw new DemoOptionsException($"--urls: '{part}' is not on 127.0.0.1; the demo listens on the loopback address only.");
            }
            if (uri.AbsolutePath != "/")
            {
                throw new DemoOptionsException($"--urls: '{part}' has a path; give only http://127.0.0.1:PORT.");
            }
            urls.Add(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{uri.Port}"));
        }
        if (urls.Count == 0)
        {
            throw new DemoOptionsException("--urls: no URL given.");
        }
        return urls;
    }
}
