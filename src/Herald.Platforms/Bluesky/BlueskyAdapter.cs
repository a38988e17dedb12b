using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Herald.Accounts;
using Herald.Contents;
using Herald.Formatting.Text;
using Herald.Platforms.Http;
using Herald.Validation;
using Microsoft.Extensions.Options;

namespace Herald.Platforms.Bluesky;

/// <summary>
/// Publishes posts to Bluesky through the AT Protocol (docs/platforms.md, Bluesky): a session from an app password,
/// then <c>com.atproto.repo.createRecord</c> of an <c>app.bsky.feed.post</c> on the account's PDS.
/// </summary>
/// <remarks>
/// The text is composed by <see cref="ShortForm"/> with Bluesky's count (300 graphemes and 3,000 UTF-8 bytes);
/// a longer text becomes a thread whose every reply names the first post as <c>root</c> and the previous one
/// as <c>parent</c>. Links, mentions (a handle resolved to its DID) and hashtags become facets with UTF-8 byte
/// offsets. Herald chooses each record key (<see cref="BlueskyRecordKeys"/>) from the publication's key and
/// the part number, so a resend writes the same key and can never create a second post; a part whose key
/// already exists is read back and taken as published. A confirmed part is stored as
/// <c>at://did/app.bsky.feed.post/rkey|cid</c> (a reply needs both); the publication's external id is the AT
/// URI of the first post, its URL <c>https://bsky.app/profile/{handle}/post/{rkey}</c>. Setting:
/// <c>language</c>, used when the content names none.
/// </remarks>
internal sealed partial class BlueskyAdapter : IPlatformAdapter, Checks.IAccountCheck, Checks.ICredentialRenewal, Media.IImageRoutes
{
    internal const string HttpClientName = "Herald.Bluesky";
    internal const string PlatformId = "bluesky";

    private const string DisplayName = "Bluesky";
    private const string CreateRecordEndpoint = "POST /xrpc/com.atproto.repo.createRecord";

    private readonly IHttpClientFactory _httpClientFactory;
    private readonly TimeProvider _timeProvider;
    private readonly BlueskySessions _sessions;
    private readonly BlueskyMedia _media;
    private readonly ContentLimits _contentLimits;

    /// <summary>Handles resolved to DIDs; a DID does not change when its handle moves, and handles rarely move.</summary>
    private readonly ConcurrentDictionary<string, string> _dids = new(StringComparer.OrdinalIgnoreCase);

    public BlueskyAdapter(
        IHttpClientFactory httpClientFactory, IOptions<BlueskyOptions> options, TimeProvider timeProvider, IAccountCredentialsStore credentialsStore, ContentLimits contentLimits)
    {
        _contentLimits = contentLimits;
        _httpClientFactory = httpClientFactory;
        _timeProvider = timeProvider;
        _sessions = new BlueskySessions(httpClientFactory, credentialsStore, timeProvider, options.Value.DefaultBaseUrl);
        _media = new BlueskyMedia(_sessions, timeProvider);
        Platform = new PlatformDescriptor
        {
            Id = PlatformId,
            DisplayName = DisplayName,
            Aliases = ["bsky"],
            DefaultBaseUrl = options.Value.DefaultBaseUrl,
            Capabilities = new PlatformCapabilities
            {
                SupportsThreads = true,
                // 5,000 write points an hour at 3 points a create (docs/platforms.md, Bluesky, "Rate limits").
                DefaultRateLimit = new RateLimitDefault(1666, TimeSpan.FromHours(1)),
            },
        };
    }

    /// <summary>What Herald checks of a content's images before scheduling (docs/platforms.md, Bluesky, "Images").</summary>
    internal static readonly ImageSupport ImageLimits = new ImageSupport(MaxCount: 4, MaxAltLength: 2_000);

    public PlatformDescriptor Platform { get; }

    /// <summary>Images are fitted to Bluesky's limits and uploaded as blobs (<see cref="BlueskyMedia"/>).</summary>
    public Media.ImageRoute RouteOf(ContentImage image, Account account) => Media.ImageRoute.Upload(BlueskyMedia.Target);

    public IReadOnlyList<ValidationProblem> Validate(Content content, Account account)
    {
        var problems = new List<ValidationProblem>();
        void Problem(string field, string message) => problems.Add(new ValidationProblem(field, message, PlatformId));

        if (!account.Credentials.Has(BlueskySessions.IdentifierCredential))
        {
            Problem(BlueskySessions.IdentifierCredential, "is required: your Bluesky handle, such as alice.bsky.social (BLUESKY_IDENTIFIER)");
        }

        if (!account.Credentials.Has(BlueskySessions.AppPasswordCredential) && !account.Credentials.Has(BlueskySessions.RefreshJwtCredential))
        {
            Problem(BlueskySessions.AppPasswordCredential, "is required: an app password from Settings → Privacy and security → App passwords (BLUESKY_APP_PASSWORD)");
        }

        if (account.BaseUrl is { } service && !PlatformHttp.IsHttpUrl(service))
        {
            Problem("base_url", $"must be an absolute https URL such as https://bsky.social (not '{service}')");
        }

        var composed = Compose(content);
        if (!composed.Succeeded)
        {
            Problem("body", $"cannot be cut into Bluesky posts of 300 graphemes and 3,000 bytes: {composed.Error}");
        }
        else if (composed.Parts.Count == 0 || composed.Parts.All(string.IsNullOrWhiteSpace))
        {
            Problem("body", "has no text to post on Bluesky");
        }

        problems.AddRange(ImageRules.Validate(content, ImageLimits, PlatformId, DisplayName));
        return problems;
    }

    public RenderedPayload Render(Content content, Account account)
    {
        var composed = Compose(content);
        var did = _sessions.Known(account)?.Did ?? "{did}";
        var createdAt = Timestamp(_timeProvider.GetUtcNow());
        var parts = new List<RenderedPart>();
        for (var index = 0; index < composed.Parts.Count; index++)
        {
            var text = composed.Parts[index];
            var count = BlueskyTextCounter.Instance.Count(text);
            var spans = BlueskyFacets.Find(text);

            // What exists only once sending starts is shown as a {placeholder}: the record keys come from the
            // publication's key, the CIDs from the posts before, a DID from resolving its handle.
            var reply = index == 0
                ? null
                : new BlueskyReplyRef(
                    new BlueskyStrongRef($"at://{did}/{BlueskyPostRecord.Collection}/{{rkey of part 1}}", "{cid of part 1}"),
                    new BlueskyStrongRef(
                        string.Create(CultureInfo.InvariantCulture, $"at://{did}/{BlueskyPostRecord.Collection}/{{rkey of part {index}}}"),
                        string.Create(CultureInfo.InvariantCulture, $"{{cid of part {index}}}")));
            var body = Serialize(new BlueskyCreateRecordRequest
            {
                Repo = did,
                RecordKey = string.Create(CultureInfo.InvariantCulture, $"{{rkey of part {index + 1}}}"),
                Record = Record(text, createdAt, Langs(content, account), BlueskyFacets.ToRecord(spans, _dids, handle => $"{{did of @{handle}}}"), reply) with
                {
                    Embed = index == 0 ? BlueskyMedia.Preview(content) : null,
                },
            });
            parts.Add(new RenderedPart(text, count.Count, count.Limit, count.Unit)
            {
                Body = body,
                Secondary = count.Measure(TextUnits.Utf8Bytes) is { } bytes ? (bytes.Count, bytes.Limit, bytes.Unit) : null,
                FittingLength = count.IsWithinLimit ? null : TextFit.FittingLength(text, BlueskyTextCounter.Instance),
                Facets = spans.Select(s => new RenderedFacet(
                    s.Kind, s.ByteStart, s.ByteEnd, s.Kind == BlueskyFacetSpan.Mention && _dids.TryGetValue(s.Value, out var resolved) ? resolved : s.Value)).ToList(),
            });
        }

        return new RenderedPayload("application/json", parts.Count > 0 ? parts[0].Body! : "", CreateRecordEndpoint) { Parts = parts };
    }

    public async Task<PublishOutcome> PublishAsync(PublishRequest request, CancellationToken cancellationToken = default)
    {
        var account = request.Account;
        var composed = Compose(request.Content);
        if (!composed.Succeeded || composed.Parts.Count == 0)
        {
            return PublishOutcome.Permanent($"The text cannot be cut into Bluesky posts: {composed.Error ?? "it is empty"}.");
        }

        var parts = composed.Parts;
        var confirmed = new List<BlueskyStrongRef>();
        foreach (var partId in request.ConfirmedParts)
        {
            if (BlueskyStrongRef.FromPartId(partId) is not { } reference)
            {
                return PublishOutcome.Permanent($"A confirmed Bluesky thread part is stored as '{partId}', not as at://…|cid; the thread cannot be continued.");
            }

            confirmed.Add(reference);
        }

        if (confirmed.Count >= parts.Count)
        {
            return PublishOutcome.Published(confirmed[0].Uri, PostUrl(account, confirmed[0]));
        }

        // Images go on the first post: uploaded (or reused from an earlier try) before it is created.
        BlueskyImagesEmbed? embed = null;
        if (confirmed.Count == 0 && request.Content.Images.Count > 0)
        {
            var (uploaded, failure) = await _media.UploadAsync(request, cancellationToken);
            if (failure is not null)
            {
                return failure;
            }

            embed = uploaded;
        }

        var root = confirmed.Count > 0 ? confirmed[0] : null;
        var parent = confirmed.Count > 0 ? confirmed[^1] : null;
        var langs = Langs(request.Content, account);
        for (var index = confirmed.Count; index < parts.Count; index++)
        {
            var text = parts[index];
            var (dids, unresolvable) = await ResolveMentionsAsync(account, BlueskyFacets.Find(text), cancellationToken);
            if (unresolvable is not null)
            {
                return unresolvable;
            }

            var recordKey = BlueskyRecordKeys.For(request.IdempotencyKey, index + 1);
            var record = Record(
                text,
                Timestamp(_timeProvider.GetUtcNow()),
                langs,
                BlueskyFacets.ToRecord(BlueskyFacets.Find(text), dids, _ => null),
                root is null ? null : new BlueskyReplyRef(root, parent!)) with
            {
                Embed = index == 0 ? embed : null,
            };

            var (created, failure) = await CreateRecordAsync(account, recordKey, record, index + 1, cancellationToken);
            if (created is null)
            {
                return failure!;
            }

            // Stored before the next part is sent, so a resumed thread replies to this one.
            await request.OnPartConfirmed(created.ToPartId(), cancellationToken);
            root ??= created;
            parent = created;
        }

        return PublishOutcome.Published(root!.Uri, PostUrl(account, root), 200);
    }

    /// <summary>
    /// Looks up the record key the next part would be written under (<c>com.atproto.repo.getRecord</c>): Herald
    /// chose it, so it is there exactly when an earlier try made the post. Not there is definitive, and a resend
    /// uses the same key anyway.
    /// </summary>
    public async Task<ExistingPostLookup> FindExistingAsync(PublishRequest request, CancellationToken cancellationToken = default)
    {
        var composed = Compose(request.Content);
        var next = request.ConfirmedParts.Count;
        if (composed.Succeeded && next >= composed.Parts.Count)
        {
            return ExistingPostLookup.NotFound("Every part is already confirmed; a resend sends nothing.");
        }

        var (session, failure) = await _sessions.GetAsync(request.Account, cancellationToken);
        if (session is null)
        {
            return ExistingPostLookup.Unavailable($"No Bluesky session to look with: {failure?.Error}");
        }

        var recordKey = BlueskyRecordKeys.For(request.IdempotencyKey, next + 1);
        var (found, error) = await GetRecordAsync(session, recordKey, cancellationToken);
        if (found is not null)
        {
            return ExistingPostLookup.Found(found.ToPartId(), PostUrl(request.Account, found));
        }

        return error is null
            ? ExistingPostLookup.NotFound($"No Bluesky post has record key {recordKey}; a resend writes that same key, so it can never make a second post.")
            : ExistingPostLookup.Unavailable(error);
    }

    /// <summary>
    /// Writes one post under its record key. A refusal that may mean the key is taken — an earlier try made this
    /// post (docs/platforms.md, Bluesky: a duplicate key fails, status UNCONFIRMED, likely 500 or 400) — is checked with
    /// <c>getRecord</c>: a record there is this post.
    /// </summary>
    private async Task<(BlueskyStrongRef? Created, PublishOutcome? Failure)> CreateRecordAsync(
        Account account, string recordKey, BlueskyPostRecord record, int partNumber, CancellationToken cancellationToken)
    {
        using var call = await _sessions.SendAsync(
            account,
            session => Json(HttpMethod.Post, BlueskySessions.Xrpc(session.Pds, "com.atproto.repo.createRecord"), session, Serialize(new BlueskyCreateRecordRequest
            {
                Repo = session.Did,
                RecordKey = recordKey,
                Record = record,
            })),
            cancellationToken);
        if (call.Answer is not { } answer)
        {
            return (null, call.Failure);
        }

        if (answer.Failure is { } transport)
        {
            return (null, transport);
        }

        if (answer.IsSuccess)
        {
            var created = PlatformHttp.TryDeserialize<BlueskyRecordResponse>(answer.Body);
            return created is { Uri.Length: > 0, Cid.Length: > 0 }
                ? (new BlueskyStrongRef(created.Uri, created.Cid), null)
                : (null, PublishOutcome.Unknown(
                    $"Bluesky accepted part {partNumber} (HTTP {answer.Status}) but named no record URI and CID; the post may exist.", answer.Status));
        }

        var outcome = BlueskyErrors.Classify(answer.Response.StatusCode, answer.Body, _sessions.RetryAfter(answer));
        if (answer.Status is 400 or >= 500 && BlueskyErrors.Read(answer.Body).Name is not ("ExpiredToken" or "InvalidToken"))
        {
            var (existing, lookError) = await GetRecordAsync(call.Session!, recordKey, cancellationToken);
            if (existing is not null)
            {
                return (existing, null);
            }

            if (answer.Status >= 500 && lookError is not null)
            {
                // The record could not be read back, so the 5xx leaves it open; the engine looks again before resending.
                return (null, HttpOutcomes.ServerErrorOnCreate(DisplayName, answer.Status, BlueskyErrors.Read(answer.Body).Message));
            }
        }

        return (null, outcome);
    }

    /// <summary>The post under <paramref name="recordKey"/>, or the reason it could not be read (null when it is not there).</summary>
    private async Task<(BlueskyStrongRef? Found, string? Error)> GetRecordAsync(BlueskySession session, string recordKey, CancellationToken cancellationToken)
    {
        var query = $"repo={Uri.EscapeDataString(session.Did)}&collection={BlueskyPostRecord.Collection}&rkey={recordKey}";
        using var message = new HttpRequestMessage(HttpMethod.Get, new Uri(BlueskySessions.Xrpc(session.Pds, "com.atproto.repo.getRecord") + "?" + query));
        using var answer = await PlatformHttp.SendAsync(_httpClientFactory.CreateClient(HttpClientName), message, DisplayName, cancellationToken);
        if (answer.Failure is { } failure)
        {
            return (null, $"Could not read record {recordKey}: {failure.Error}");
        }

        if (answer.IsSuccess && PlatformHttp.TryDeserialize<BlueskyRecordResponse>(answer.Body) is { Uri.Length: > 0, Cid.Length: > 0 } found)
        {
            return (new BlueskyStrongRef(found.Uri, found.Cid), null);
        }

        var (name, said) = BlueskyErrors.Read(answer.Body);
        return name == "RecordNotFound"
            ? (null, null)
            : (null, $"Bluesky answered HTTP {answer.Status} when reading record {recordKey}{(said is null ? "" : $": {said}")}.");
    }

    /// <summary>
    /// The DID of every handle mentioned (<c>com.atproto.identity.resolveHandle</c>). A handle Bluesky does not
    /// know stays plain text; when Bluesky cannot be asked, nothing is posted yet (the post would lose its mention).
    /// </summary>
    private async Task<(IReadOnlyDictionary<string, string> Dids, PublishOutcome? Failure)> ResolveMentionsAsync(
        Account account, IReadOnlyList<BlueskyFacetSpan> spans, CancellationToken cancellationToken)
    {
        var client = _httpClientFactory.CreateClient(HttpClientName);
        foreach (var handle in spans.Where(s => s.Kind == BlueskyFacetSpan.Mention).Select(s => s.Value).Distinct())
        {
            if (_dids.ContainsKey(handle))
            {
                continue;
            }

            var url = BlueskySessions.Xrpc(_sessions.ServiceOf(account), "com.atproto.identity.resolveHandle") + "?handle=" + Uri.EscapeDataString(handle);
            using var message = new HttpRequestMessage(HttpMethod.Get, new Uri(url));
            using var answer = await PlatformHttp.SendAsync(client, message, DisplayName, cancellationToken);
            if (answer.Failure is { } failure)
            {
                return (_dids, PublishOutcome.Transient($"Could not resolve the mention @{handle}: {failure.Error}"));
            }

            if (answer.IsSuccess && PlatformHttp.TryDeserialize<BlueskyResolveHandleResponse>(answer.Body)?.Did is { Length: > 0 } did)
            {
                _dids[handle] = did;
            }
            else if (answer.Status is 429 or >= 500)
            {
                return (_dids, BlueskyErrors.Classify(answer.Response.StatusCode, answer.Body, _sessions.RetryAfter(answer)));
            }
        }

        return (_dids, null);
    }

    private ShortFormText Compose(Content content) => ShortForm.Compose(content, PlatformId, BlueskyTextCounter.Instance, limits: _contentLimits);

    private static BlueskyPostRecord Record(
        string text, string createdAt, IReadOnlyList<string>? langs, IReadOnlyList<BlueskyFacet> facets, BlueskyReplyRef? reply) => new()
        {
            Text = text,
            CreatedAt = createdAt,
            Langs = langs,
            Facets = facets.Count == 0 ? null : facets,
            Reply = reply,
        };

    /// <summary>The content's language, else the account's <c>language</c> setting.</summary>
    private static IReadOnlyList<string>? Langs(Content content, Account account) =>
        (content.Language ?? account.Setting("language"))?.Trim() is { Length: > 0 } language ? [language] : null;

    /// <summary><c>https://bsky.app/profile/{handle}/post/{rkey}</c>; the DID stands in when the handle is not known.</summary>
    private Uri PostUrl(Account account, BlueskyStrongRef post)
    {
        var profile = _sessions.Known(account)?.Handle ?? account.Credentials[BlueskySessions.HandleCredential] ?? BlueskySessions.HandleOf(account) ??
                      post.Uri["at://".Length..post.Uri.IndexOf('/', "at://".Length)];
        return new Uri($"https://bsky.app/profile/{profile}/post/{post.RecordKey}");
    }

    /// <summary>An ISO 8601 timestamp with milliseconds and a trailing Z, as the lexicon prefers.</summary>
    private static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static HttpRequestMessage Json(HttpMethod method, Uri url, BlueskySession session, string body)
    {
        var message = new HttpRequestMessage(method, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", session.AccessJwt);
        message.Headers.UserAgent.Add(new ProductInfoHeaderValue("Herald", "1.0"));
        return message;
    }

    private static string Serialize(BlueskyCreateRecordRequest request) => JsonSerializer.Serialize(request, PlatformHttp.Json);
}
