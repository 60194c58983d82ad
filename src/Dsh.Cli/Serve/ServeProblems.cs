using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Dsh.Cli.Serve;

/// <summary>
/// The server's error answers: RFC 7807 problem details (<c>application/problem+json</c>) with a title and a one-line detail
/// written for the client; internal exception messages never reach it.
/// </summary>
internal static class ServeProblems
{
    /// <summary>A problem result.</summary>
    public static IResult Result(int status, string title, string detail, IDictionary<string, object?>? extensions = null) =>
        Results.Problem(detail: detail, statusCode: status, title: title, extensions: extensions);

    /// <summary>Writes a problem straight to the response (for middleware).</summary>
    public static Task Write(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        return context.Response.WriteAsJsonAsync(problem, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json", context.RequestAborted);
    }
}
