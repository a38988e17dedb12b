using System.Text;

namespace Herald.Sandbox.Hosting;

/// <summary>
/// Wraps every platform endpoint: injects the configured faults, records the request with the status it
/// got, and for the "after commit" faults (drop, 502/504, slow answer) lets the platform handle the request
/// first, so the client's uncertainty is real: the post exists whatever the client heard.
/// </summary>
internal sealed class PlatformTrafficMiddleware(RequestDelegate next, SandboxState state)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var platform = PlatformOf(context.Request.Path);
        if (platform is null)
        {
            await next(context);
            return;
        }

        context.Request.EnableBuffering();
        string body;
        using (var reader = new StreamReader(context.Request.Body, Encoding.UTF8, leaveOpen: true))
        {
            body = await reader.ReadToEndAsync(context.RequestAborted);
        }

        context.Request.Body.Position = 0;
        var receivedAt = state.TimeProvider.GetUtcNow();
        var sequence = state.Recorder.NextSequence();
        var faults = state.Faults;

        var faultable = (faults.IncludeReads || !HttpMethods.IsGet(context.Request.Method)) &&
            (faults.PathContains is not { } only || context.Request.Path.Value!.Contains(only, StringComparison.Ordinal));
        if (faults.Delay > TimeSpan.Zero && faultable)
        {
            await Task.Delay(faults.Delay, state.TimeProvider, context.RequestAborted);
        }

        if (faultable && state.TryTakeScriptedFault(out var scripted))
        {
            Record(context, platform, body, sequence, receivedAt, scripted.Status);
            context.Response.StatusCode = scripted.Status;
            if (scripted.Status == StatusCodes.Status429TooManyRequests)
            {
                context.Response.Headers.RetryAfter = scripted.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            await context.Response.WriteAsJsonAsync(new { error = $"HTTP {scripted.Status} (sandbox script)", status = scripted.Status });
            return;
        }

        var fault = faultable ? state.DrawFault(faults) : InjectedFault.None;
        if (fault is InjectedFault.ServerError)
        {
            Record(context, platform, body, sequence, receivedAt, StatusCodes.Status503ServiceUnavailable);
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await context.Response.WriteAsJsonAsync(new { error = "Service Unavailable (sandbox fault)", status = 503 });
            return;
        }

        if (fault is InjectedFault.RateLimited)
        {
            Record(context, platform, body, sequence, receivedAt, StatusCodes.Status429TooManyRequests);
            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            context.Response.Headers.RetryAfter = faults.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await context.Response.WriteAsJsonAsync(new { error = "Too Many Requests (sandbox fault)", status = 429 });
            return;
        }

        // Buffer the answer so that a drop can happen after the platform accepted but before any byte is sent.
        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }

        if (state.Options.DisableRateLimits)
        {
            RemoveRateLimitHeaders(context.Response.Headers);
        }

        var committed = context.Response.StatusCode is >= 200 and < 300;
        if (committed && fault is InjectedFault.ServerErrorAfterCommit)
        {
            // The platform stored it; the client hears only what a gateway in front of it would say.
            var status = state.NextRandom(0, 2) == 0 ? StatusCodes.Status502BadGateway : StatusCodes.Status504GatewayTimeout;
            Record(context, platform, body, sequence, receivedAt, status);
            context.Response.Clear();
            context.Response.StatusCode = status;
            await context.Response.WriteAsJsonAsync(new { error = $"HTTP {status} after commit (sandbox fault)", status });
            return;
        }

        Record(context, platform, body, sequence, receivedAt, context.Response.StatusCode);
        if (fault is InjectedFault.DropAfterAccept && committed)
        {
            context.Abort();
            return;
        }

        if (fault is InjectedFault.SlowAfterCommit && committed)
        {
            // Stored already; the answer comes late, usually after the client gave up (which ends the wait).
            await Task.Delay(faults.SlowAfterCommitDelay, state.TimeProvider, context.RequestAborted);
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(original, context.RequestAborted);
    }

    /// <summary>With limits off, no answer may tell a client how much is left: Herald would obey it.</summary>
    private static void RemoveRateLimitHeaders(IHeaderDictionary headers)
    {
        foreach (var name in headers.Keys.Where(IsRateLimitHeader).ToList())
        {
            headers.Remove(name);
        }
    }

    private static bool IsRateLimitHeader(string name) =>
        name.StartsWith("x-rate-limit-", StringComparison.OrdinalIgnoreCase) ||
        name.StartsWith("X-RateLimit-", StringComparison.OrdinalIgnoreCase) ||
        name.StartsWith("RateLimit-", StringComparison.OrdinalIgnoreCase);

    /// <summary>Platform endpoints live under <c>/{platform}/…</c>; the sandbox's own under <c>/_sandbox</c>.</summary>
    private static string? PlatformOf(PathString path)
    {
        var value = path.Value;
        if (string.IsNullOrEmpty(value) || value.Length < 2)
        {
            return null;
        }

        var end = value.IndexOf('/', 1);
        var first = end < 0 ? value[1..] : value[1..end];
        return SandboxState.Platforms.Contains(first) ? first : null;
    }

    private void Record(HttpContext context, string platform, string body, long sequence, DateTimeOffset receivedAt, int status)
    {
        var request = context.Request;
        var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        state.Recorder.Add(new RecordedRequest(
            sequence, platform, request.Method, request.Path.Value ?? "", request.QueryString.Value ?? "",
            headers, body, status, receivedAt));
    }
}
