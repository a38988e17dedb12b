using System.Globalization;
using System.Text.Json;
using Herald.Sandbox.Hosting;

namespace Herald.Sandbox.Bluesky;

/// <summary>The XRPC methods of a Bluesky PDS that Herald uses, under <c>/xrpc/</c>, per docs/platforms.md, Bluesky.</summary>
internal static class BlueskyEndpoints
{
    public static RouteGroupBuilder MapBluesky(this RouteGroupBuilder group)
    {
        var xrpc = group.MapGroup("/xrpc");
        xrpc.MapPost("/com.atproto.server.createSession", CreateSessionAsync);
        xrpc.MapPost("/com.atproto.server.refreshSession", RefreshSession);
        xrpc.MapGet("/com.atproto.server.getSession", GetSession);
        xrpc.MapGet("/com.atproto.identity.resolveHandle", (SandboxState s, string? handle) =>
            s.Bluesky.FindByHandleOrDid(handle) is { } account && !string.IsNullOrEmpty(handle) && !handle.StartsWith("did:", StringComparison.Ordinal)
                ? Results.Json(new { did = account.Did })
                : Error(400, "InvalidRequest", "Unable to resolve handle"));
        xrpc.MapPost("/com.atproto.repo.createRecord", CreateRecordAsync);
        xrpc.MapPost("/com.atproto.repo.uploadBlob", UploadBlobAsync);
        xrpc.MapGet("/com.atproto.sync.getBlob", (SandboxState s, string? did, string? cid) =>
            s.Bluesky.Blobs.Find(did ?? "", cid ?? "") is { } blob ? Results.File(blob.Bytes, blob.MimeType) : Error(400, "BlobNotFound", "Blob not found"));
        xrpc.MapGet("/com.atproto.repo.getRecord", GetRecord);
        xrpc.MapGet("/com.atproto.repo.listRecords", ListRecords);
        return group;
    }

    private static async Task<IResult> CreateSessionAsync(HttpContext context, SandboxState sandbox)
    {
        string? identifier, password;
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            identifier = Text(document.RootElement, "identifier");
            password = Text(document.RootElement, "password");
        }
        catch (JsonException)
        {
            return Error(400, "InvalidRequest", "Request body must be JSON");
        }

        if (identifier is null || password is null)
        {
            return Error(400, "InvalidRequest", "Input must have the properties \"identifier\" and \"password\"");
        }

        var session = sandbox.Bluesky.CreateSession(identifier, password, out var limited);
        if (limited)
        {
            return Error(429, "RateLimitExceeded", "Rate Limit Exceeded");
        }

        if (session is { Account.Status: "takendown" })
        {
            return Error(401, "AccountTakedown", "Account has been taken down");
        }

        return session is { } s
            ? Results.Json(SessionJson(context, s.Account, s.Access, s.Refresh))
            : Error(401, "AuthenticationRequired", "Invalid identifier or password");
    }

    private static IResult RefreshSession(HttpContext context, SandboxState sandbox)
    {
        if (BearerOf(context) is not { } token)
        {
            return Error(401, "AuthenticationRequired", "Authentication Required");
        }

        var session = sandbox.Bluesky.RefreshSession(token, out var error);
        return session is { } s
            ? Results.Json(SessionJson(context, s.Account, s.Access, s.Refresh))
            : Error(400, error!, error == "ExpiredToken" ? "Token has expired" : "Token could not be verified");
    }

    /// <summary>Who the access token belongs to: handle and DID, as the PDS answers (expired: 400 ExpiredToken).</summary>
    private static IResult GetSession(HttpContext context, SandboxState sandbox)
    {
        if (BearerOf(context) is not { } token)
        {
            return Error(401, "AuthenticationRequired", "Authentication Required");
        }

        var account = sandbox.Bluesky.Authenticate(token, out var tokenError);
        if (account is null)
        {
            return tokenError == "ExpiredToken"
                ? Error(400, "ExpiredToken", "Token has expired")
                : Error(400, "InvalidToken", "Token could not be verified");
        }

        return Results.Json(new { handle = account.Handle, did = account.Did, active = account.Status is null, status = account.Status });
    }

    private static async Task<IResult> CreateRecordAsync(HttpContext context, SandboxState sandbox)
    {
        var state = sandbox.Bluesky;
        if (Authenticate(context, state) is not { } account)
        {
            return Refusal(context, state);
        }

        if (Inactive(account) is { } inactive)
        {
            return inactive;
        }

        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (JsonException)
        {
            return Error(400, "InvalidRequest", "Request body must be JSON");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || Text(root, "repo") is not { } repo || Text(root, "collection") is not { } collection ||
                !root.TryGetProperty("record", out var record) || record.ValueKind != JsonValueKind.Object)
            {
                return Error(400, "InvalidRequest", "Input must have the properties \"repo\", \"collection\" and \"record\"");
            }

            if (state.FindByHandleOrDid(repo)?.Did != account.Did)
            {
                return Error(401, "AuthenticationRequired", "Authentication Required");
            }

            var window = state.SpendWritePoints(account);
            WriteRateLimitHeaders(context, window);
            if (window.Exceeded)
            {
                return Error(429, "RateLimitExceeded", "Rate Limit Exceeded");
            }

            var result = state.CreateRecord(account, collection, Text(root, "rkey"), record);
            if (result.Record is not { } created)
            {
                return Error(result.Status, result.Error!, result.Message!);
            }

            return Results.Json(new
            {
                uri = created.Uri,
                cid = created.Cid,
                commit = new { cid = created.Cid, rev = state.NewTid() },
                validationStatus = "valid",
            });
        }
    }

    /// <summary><c>com.atproto.repo.uploadBlob</c>: the raw bytes as the body; answers <c>{"blob": …}</c>.</summary>
    private static async Task<IResult> UploadBlobAsync(HttpContext context, SandboxState sandbox)
    {
        var state = sandbox.Bluesky;
        if (Authenticate(context, state) is not { } account)
        {
            return Refusal(context, state);
        }

        if (Inactive(account) is { } inactive)
        {
            return inactive;
        }

        // The declared length is checked first, then the body as it streams.
        if (context.Request.ContentLength > BlueskyBlobs.UploadLimit)
        {
            return Error(413, "PayloadTooLarge", "request entity too large");
        }

        using var copy = new MemoryStream();
        await context.Request.Body.CopyToAsync(copy, context.RequestAborted);
        var (blob, status, error, message) = state.Blobs.Upload(account, copy.ToArray(), context.Request.ContentType);
        return blob is null
            ? Error(status, error!, message!)
            : Results.Json(new { blob = new Dictionary<string, object> { ["$type"] = "blob", ["ref"] = new Dictionary<string, string> { ["$link"] = blob.Cid }, ["mimeType"] = blob.MimeType, ["size"] = blob.Bytes.LongLength } });
    }

    private static IResult GetRecord(SandboxState sandbox, string? repo, string? collection, string? rkey)
    {
        if (repo is null || collection is null || rkey is null)
        {
            return Error(400, "InvalidRequest", "Params must have the properties \"repo\", \"collection\" and \"rkey\"");
        }

        var did = sandbox.Bluesky.FindByHandleOrDid(repo)?.Did;
        var record = did is null ? null : sandbox.Bluesky.Find(did, collection, rkey);
        return record is null
            ? Error(400, "RecordNotFound", $"Could not locate record: at://{repo}/{collection}/{rkey}")
            : Results.Json(new { uri = record.Uri, cid = record.Cid, value = JsonDocument.Parse(record.Json).RootElement });
    }

    private static IResult ListRecords(SandboxState sandbox, string? repo, string? collection, int? limit, string? cursor, bool? reverse)
    {
        if (repo is null || collection is null)
        {
            return Error(400, "InvalidRequest", "Params must have the properties \"repo\" and \"collection\"");
        }

        var size = limit ?? 50;
        if (size is < 1 or > 100)
        {
            return Error(400, "InvalidRequest", "limit must be between 1 and 100");
        }

        var did = sandbox.Bluesky.FindByHandleOrDid(repo)?.Did;
        if (did is null)
        {
            return Error(400, "InvalidRequest", $"Could not find repo: {repo}");
        }

        var ascending = reverse == true;
        var records = sandbox.Bluesky.List(did, collection, ascending)
            .Where(r => cursor is null || (ascending
                ? string.CompareOrdinal(r.RecordKey, cursor) > 0
                : string.CompareOrdinal(r.RecordKey, cursor) < 0))
            .Take(size)
            .ToList();
        return Results.Json(new
        {
            records = records.Select(r => new { uri = r.Uri, cid = r.Cid, value = JsonDocument.Parse(r.Json).RootElement }),
            cursor = records.Count == size ? records[^1].RecordKey : null,
        });
    }

    private static object SessionJson(HttpContext context, BlueskyAccount account, string access, string refresh) => new
    {
        accessJwt = access,
        refreshJwt = refresh,
        handle = account.Handle,
        did = account.Did,
        didDoc = new Dictionary<string, object>
        {
            ["@context"] = new[] { "https://www.w3.org/ns/did/v1" },
            ["id"] = account.Did,
            ["alsoKnownAs"] = new[] { $"at://{account.Handle}" },
            ["service"] = new[]
            {
                new { id = "#atproto_pds", type = "AtprotoPersonalDataServer", serviceEndpoint = $"{context.Request.Scheme}://{context.Request.Host}/bluesky" },
            },
        },
        active = account.Status is null,
        status = account.Status,
    };

    /// <summary>The xrpc-server rate-limit headers (docs/platforms.md, Bluesky): reset in epoch seconds, policy <c>limit;w=window</c>.</summary>
    private static void WriteRateLimitHeaders(HttpContext context, BlueskyRateWindow window)
    {
        var headers = context.Response.Headers;
        headers["RateLimit-Limit"] = window.Limit.ToString(CultureInfo.InvariantCulture);
        headers["RateLimit-Remaining"] = Math.Max(0, window.Remaining).ToString(CultureInfo.InvariantCulture);
        headers["RateLimit-Reset"] = window.Reset.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        headers["RateLimit-Policy"] = string.Create(CultureInfo.InvariantCulture, $"{window.Limit};w={window.WindowSeconds}");
    }

    /// <summary>The account of the request's access token; null when it has none or it is not valid now.</summary>
    /// <summary>The PDS refuses an inactive account's writes, naming why (<see cref="BlueskyAccount.Status"/>).</summary>
    private static IResult? Inactive(BlueskyAccount account) => account.Status switch
    {
        null => null,
        "takendown" => Error(400, "AccountTakedown", "Account has been taken down"),
        _ => Error(400, "AccountDeactivated", $"Account is {account.Status}"),
    };

    private static BlueskyAccount? Authenticate(HttpContext context, BlueskyState state) =>
        BearerOf(context) is { } token ? state.Authenticate(token, out _) : null;

    /// <summary>Why <see cref="Authenticate"/> found no account. An expired access token is 400 ExpiredToken, not 401 (docs/platforms.md, Bluesky, "Auth").</summary>
    private static IResult Refusal(HttpContext context, BlueskyState state)
    {
        if (BearerOf(context) is not { } token)
        {
            return Error(401, "AuthenticationRequired", "Authentication Required");
        }

        state.Authenticate(token, out var tokenError);
        return tokenError == "ExpiredToken"
            ? Error(400, "ExpiredToken", "Token has expired")
            : Error(400, "InvalidToken", "Token could not be verified");
    }

    private static string? BearerOf(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.Ordinal) && header.Length > "Bearer ".Length ? header["Bearer ".Length..].Trim() : null;
    }

    private static string? Text(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static IResult Error(int status, string error, string message) => Results.Json(new { error, message }, statusCode: status);
}
