using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Herald.Server.Problems;

/// <summary>
/// RFC 9457 problem details, the one error shape of the API: a title, a detail that says what to do, and for
/// validation the problems per field (<c>errors: {"targets[2].title": ["…"]}</c>). Never an exception's text.
/// </summary>
internal static class ProblemResults
{
    public static ProblemHttpResult NotFound(string what, string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"No such {what}", detail: $"There is no {what} with id '{id}'.");

    public static ProblemHttpResult Conflict(string title, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: title, detail: detail);

    /// <summary>422 with every problem under its field: the request was understood, and refused.</summary>
    public static ProblemHttpResult Invalid(IEnumerable<(string Field, string Message)> problems) =>
        TypedResults.Problem(new HttpValidationProblemDetails(
            problems.GroupBy(p => p.Field, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray()))
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "The input is not valid",
            Detail = "The request was refused; nothing was stored or sent. Each field lists the rules it breaks.",
        });

    public static ProblemHttpResult Invalid(string field, string message) => Invalid([(field, message)]);

    /// <summary>Writes a problem outside an endpoint (authentication, rate limiting, the exception handler).</summary>
    public static Task Write(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        return problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        }).AsTask();
    }
}
