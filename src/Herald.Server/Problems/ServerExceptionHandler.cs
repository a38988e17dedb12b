using System.Diagnostics;
using System.Text.Json;
using Herald.Publications;
using Herald.Scheduling;
using Herald.Server.Hosting;
using Herald.Validation;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Herald.Server.Problems;

/// <summary>
/// Turns what an endpoint throws into a problem: Herald's own refusals keep their status (422 for input, 409 for a
/// status that does not allow the change or a concurrent change); anything else is a 500 whose detail holds only
/// the trace id — the exception, with its stack, goes to the log, never to the client.
/// </summary>
internal sealed class ServerExceptionHandler(IProblemDetailsService problems, ILogger<ServerExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var details = exception switch
        {
            ContentValidationException invalid => new HttpValidationProblemDetails(
                invalid.Problems.GroupBy(p => p.Field).ToDictionary(g => g.Key, g => g.Select(p => p.ToString()).ToArray()))
            {
                Status = StatusCodes.Status422UnprocessableEntity,
                Title = "The input is not valid",
                Detail = "The request was refused; nothing was stored or sent.",
            },
            ScheduleTimeException time => new HttpValidationProblemDetails(new Dictionary<string, string[]> { ["at"] = [time.Message] })
            {
                Status = StatusCodes.Status422UnprocessableEntity,
                Title = "The input is not valid",
            },
            IllegalTransitionException illegal => new ProblemDetails
            {
                Status = StatusCodes.Status409Conflict,
                Title = "Not allowed in the publication's status",
                Detail = illegal.Message,
            },
            PublicationConflictException => new ProblemDetails
            {
                Status = StatusCodes.Status409Conflict,
                Title = "Changed meanwhile",
                Detail = "A worker changed this publication while the request ran; nothing was saved. Read it again and retry.",
            },
            BadHttpRequestException bad => new ProblemDetails
            {
                Status = bad.StatusCode,
                Title = "The request cannot be read",
                // The parser's own message may quote the body; the JSON path is enough to find the mistake.
                Detail = bad.InnerException is JsonException { Path: { } path }
                    ? $"The body is not valid JSON for this route (at {path})."
                    : "The request is malformed: check the JSON body, the query parameters and the Content-Type.",
            },
            _ => null,
        };

        if (details is null)
        {
            var traceId = Activity.Current?.Id ?? httpContext.TraceIdentifier;
            ServerLog.RequestFailed(logger, exception, httpContext.Request.Method, httpContext.Request.Path, exception.GetType().Name, traceId);
            details = new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Title = "The server failed",
                Detail = $"Something went wrong on the server; nothing is shown here on purpose. The log has the details under trace id {traceId}.",
            };
        }

        httpContext.Response.StatusCode = details.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = details, Exception = null });
    }
}
