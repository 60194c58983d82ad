using Microsoft.AspNetCore.Http;

namespace Dsh.Cli.Serve;

/// <summary>
/// Refuses cross-site requests with 403: a request whose <c>Origin</c> header is not this server's own scheme, host and
/// port, or (for anything but GET and HEAD) one a browser marks <c>Sec-Fetch-Site: cross-site</c>. Another web page the
/// user has open can then neither add nor remove photos nor run searches through the user's browser.
/// </summary>
internal sealed class SameOriginMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        HttpRequest request = context.Request;
        string? origin = request.Headers.Origin;
        string own = $"{request.Scheme}://{request.Host}";
        bool crossOrigin = origin is not null && !string.Equals(origin, own, StringComparison.OrdinalIgnoreCase);
        bool crossSite = !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method)
            && string.Equals(request.Headers["Sec-Fetch-Site"], "cross-site", StringComparison.OrdinalIgnoreCase);
        if (crossOrigin || crossSite)
        {
            await ServeProblems.Write(context, StatusCodes.Status403Forbidden, "Cross-site request refused",
                "This server answers only pages it served itself; the request came from another site.");
            return;
        }
        await next(context);
    }
}
