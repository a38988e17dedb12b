using System.Security.Cryptography;
using Herald.Server.Data;
using Herald.Server.Keys;
using Herald.Server.Problems;
using Microsoft.EntityFrameworkCore;

namespace Herald.Server.Idempotency;

/// <summary>
/// <c>Idempotency-Key</c> on every <c>POST</c> of the API: the same key with the same request within
/// <see cref="Lifetime"/> gets the first answer again (with <c>Idempotent-Replayed: true</c>) and nothing is done twice;
/// the same key with another request is refused (422); while the first is still being answered, 409. The records
/// live in the database, so this holds across API nodes. A 5xx answer is not kept: the client may try again.
/// <c>/api/v1/keys</c> is left out on purpose — its answer holds a new API key, which is never stored.
/// </summary>
internal sealed class IdempotencyMiddleware(RequestDelegate next, TimeProvider clock)
{
    public const string Header = "Idempotency-Key";

    public const int MaxKeyLength = 200;

    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    public async Task InvokeAsync(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method) ||
            !context.Request.Path.StartsWithSegments("/api/v1", StringComparison.Ordinal) ||
            context.Request.Path.StartsWithSegments("/api/v1/keys", StringComparison.Ordinal) ||
            context.Request.Headers[Header].FirstOrDefault() is not { } key ||
            context.User.FindFirst(ApiScopes.KeyIdClaimType)?.Value is not { } apiKey)
        {
            await next(context);
            return;
        }

        if (key.Length is 0 or > MaxKeyLength)
        {
            await WriteInvalidAsync(context, $"must be 1 to {MaxKeyLength} characters");
            return;
        }

        // Resolved only here: most requests carry no key and need no database context.
        var db = context.RequestServices.GetRequiredService<ServerDbContext>();

        var apiKeyId = Guid.Parse(apiKey);
        var hash = await HashRequestAsync(context.Request);
        var now = clock.GetUtcNow();
        var record = new IdempotencyRecord { ApiKeyId = apiKeyId, Key = key, RequestHash = hash, CreatedAt = now };
        if (!await TryClaimAsync(db, record, now, context.RequestAborted))
        {
            var first = await db.IdempotencyRecords.AsNoTracking()
                .SingleAsync(r => r.ApiKeyId == apiKeyId && r.Key == key, context.RequestAborted);
            if (first.RequestHash != hash)
            {
                await WriteInvalidAsync(context, "was used with a different request within 24 hours; use a new key for a new request");
            }
            else if (first.StatusCode is not { } status)
            {
                await ProblemResults.Write(context, StatusCodes.Status409Conflict, "The first request is still running",
                    "A request with this Idempotency-Key is being answered; ask again in a moment to get its answer.");
            }
            else
            {
                context.Response.StatusCode = status;
                context.Response.Headers["Idempotent-Replayed"] = "true";
                if (first.Location is not null)
                {
                    context.Response.Headers.Location = first.Location;
                }

                if (first.Body is not null)
                {
                    context.Response.ContentType = first.ContentType;
                    await context.Response.WriteAsync(first.Body, context.RequestAborted);
                }
            }

            return;
        }

        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        catch
        {
            await ForgetAsync(db, record);
            throw;
        }
        finally
        {
            context.Response.Body = original;
        }

        buffer.Position = 0;
        if (context.Response.StatusCode >= 500)
        {
            await ForgetAsync(db, record);
        }
        else
        {
            record.StatusCode = context.Response.StatusCode;
            record.ContentType = context.Response.ContentType;
            record.Location = context.Response.Headers.Location.FirstOrDefault();
            record.Body = buffer.Length == 0 ? null : await new StreamReader(buffer, leaveOpen: true).ReadToEndAsync(CancellationToken.None);
            buffer.Position = 0;
            await db.SaveChangesAsync(CancellationToken.None);
        }

        await buffer.CopyToAsync(original, context.RequestAborted);
    }

    /// <summary>Inserts the record; false when the key is taken (an expired one is replaced).</summary>
    private static async Task<bool> TryClaimAsync(ServerDbContext db, IdempotencyRecord record, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var expired = now - Lifetime;
        await db.IdempotencyRecords
            .Where(r => r.ApiKeyId == record.ApiKeyId && r.Key == record.Key && r.CreatedAt < expired)
            .ExecuteDeleteAsync(cancellationToken);
        db.IdempotencyRecords.Add(record);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException)
        {
            // The primary key (API key, Idempotency-Key) is taken: another request with this key came first.
            db.Entry(record).State = EntityState.Detached;
            return false;
        }
    }

    private static async Task ForgetAsync(ServerDbContext db, IdempotencyRecord record)
    {
        db.Entry(record).State = EntityState.Detached;
        await db.IdempotencyRecords.Where(r => r.ApiKeyId == record.ApiKeyId && r.Key == record.Key).ExecuteDeleteAsync(CancellationToken.None);
    }

    private static async Task<string> HashRequestAsync(HttpRequest request)
    {
        request.EnableBuffering();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes($"{request.Method} {request.Path}{request.QueryString}\n"));
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            hash.AppendData(chunk, 0, read);
        }

        request.Body.Position = 0;
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static Task WriteInvalidAsync(HttpContext context, string rule)
    {
        context.Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new HttpValidationProblemDetails(new Dictionary<string, string[]> { [Header] = [rule] })
            {
                Status = StatusCodes.Status422UnprocessableEntity,
                Title = "The input is not valid",
                Detail = "The request was refused; nothing was stored or sent.",
            },
        }).AsTask();
    }
}
