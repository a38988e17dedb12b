using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Herald.Server.Keys;

namespace Herald.Server.Tests;

/// <summary>
/// The REST API end to end: the real server with its workers and an in-process sandbox, over HTTP, on SQLite and on
/// PostgreSQL (the subclasses). Each test makes its own content, so they can share one server.
/// </summary>
public abstract class ServerApiTests(ServerFactory server)
{
    private static readonly string[] AllSandboxPlatforms = ["bluesky", "devto", "linkedin", "mastodon", "medium", "threads", "x"];

    protected ServerFactory Server { get; } = server;

    private static object Article(string title, params string[] targets) => new
    {
        title,
        body = $"An article about {title}, with a link: https://example.com/{Guid.NewGuid():N}.",
        tags = new[] { "dotnet", "herald" },
        targets,
    };

    private static string Future => DateTimeOffset.UtcNow.AddDays(3).ToString("yyyy-MM-dd HH:mm");

    [Fact]
    public async Task HealthLive_WithoutKey_IsHealthy()
    {
        using var client = Server.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task Api_WithoutKeyOrWithUnknownKey_Is401ProblemWithChallenge()
    {
        using var client = Server.CreateClient();
        using var missing = await client.GetAsync("/api/v1/publications");
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal("Bearer", missing.Headers.WwwAuthenticate.Single().Scheme);
        Api.AssertProblem(await missing.ReadJsonAsync(), 401);

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "hk_not-a-key-herald-ever-made");
        Api.AssertProblem(await client.GetAsync("/api/v1/accounts").ExpectAsync(HttpStatusCode.Unauthorized), 401);
    }

    [Fact]
    public async Task Posts_WithReadOnlyKey_Is403AndStoresNothing()
    {
        using var client = await Server.ClientWithScopesAsync(ApiScopes.Read);
        var title = $"Read-only {Guid.NewGuid():N}";
        Api.AssertProblem(await client.PostJsonAsync("/api/v1/posts", Article(title, "devto")).ExpectAsync(HttpStatusCode.Forbidden), 403);
        var page = await client.GetAsync($"/api/v1/publications?q={Uri.EscapeDataString(title)}").ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(page["items"]!.AsArray());
    }

    [Fact]
    public async Task Posts_ToAllSandboxPlatforms_EachBecomesPublishedWithItsAttempt()
    {
        using var client = await Server.ClientWithScopesAsync(ApiScopes.Write);
        using var response = await client.PostJsonAsync("/api/v1/posts", Article($"Everywhere {Guid.NewGuid():N}", "all"));
        var created = await response.ReadJsonAsync();
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/api/v1/contents/{created["content"]!["id"]}", response.Headers.Location!.OriginalString);
        var publications = created["publications"]!.AsArray();
        Assert.Equal(AllSandboxPlatforms, publications.Select(p => (string)p!["platform"]!).Order());

        foreach (var publication in publications)
        {
            var id = (string)publication!["id"]!;
            var details = await Api.WaitForAsync(
                () => client.GetAsync($"/api/v1/publications/{id}").ExpectAsync(HttpStatusCode.OK),
                d => (string?)d["publication"]!["status"] is "Published" or "AwaitingManualAction",
                $"publication {id} to be published");
            var attempt = details["attempts"]!.AsArray().Last()!;
            Assert.True((double)attempt["durationMs"]! >= 0);
            Assert.False(string.IsNullOrEmpty((string?)details["payload"]));
            if ((string?)details["publication"]!["status"] == "Published")
            {
                await AssertSandboxPageAsync((string?)details["publication"]!["url"], (string)publication["platform"]!);
            }
        }

        // The content's publications link the same pages.
        var content = await client.GetAsync($"/api/v1/contents/{created["content"]!["id"]}").ExpectAsync(HttpStatusCode.OK);
        foreach (var publication in content["publications"]!.AsArray().Where(p => (string?)p!["status"] == "Published"))
        {
            await AssertSandboxPageAsync((string?)publication!["url"], (string)publication["platform"]!);
        }
    }

    /// <summary>A sandbox post links to its page on the running sandbox (not to the real site, where it does not exist).</summary>
    private async Task AssertSandboxPageAsync(string? url, string platform)
    {
        Assert.NotNull(url);
        Assert.StartsWith(Server.Sandbox.BaseAddress.ToString(), url, StringComparison.Ordinal);
        using var browser = new HttpClient();
        using var page = await browser.GetAsync(url);
        Assert.True(page.IsSuccessStatusCode, $"{platform}: {url} answered {(int)page.StatusCode}");
        Assert.Contains($"{platform} post", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Posts_InvalidForSeveralTargets_ListsEveryProblemAndStoresNothing()
    {
        using var client = await Server.ClientWithScopesAsync(ApiScopes.Write);
        // A Medium account without its token: its target breaks Medium's own rule.
        var medium = await client.PostJsonAsync("/api/v1/accounts", new { platform = "medium", displayName = $"no token {Guid.NewGuid():N}" })
            .ExpectAsync(HttpStatusCode.Created);
        try
        {
            var title = $"Too long {Guid.NewGuid():N} " + new string('x', 400);
            var problem = await client.PostJsonAsync("/api/v1/posts", new
            {
                title,
                body = "Body.",
                targets = new[] { "devto", "myspace", (string)medium["id"]! },
                at = "2026-13-45 25:00",
            }).ExpectAsync(HttpStatusCode.UnprocessableEntity);

            Api.AssertProblem(problem, 422);
            var errors = problem["errors"]!.AsObject().Select(e => e.Key).ToList();
            Assert.Contains("targets[1]", errors);
            Assert.Contains("at", errors);
            Assert.Contains("targets[0].title", errors);
            Assert.Contains("targets[2].access_token", errors);
            var page = await client.GetAsync($"/api/v1/publications?q={Uri.EscapeDataString(title[..40])}").ExpectAsync(HttpStatusCode.OK);
            Assert.Empty(page["items"]!.AsArray());
        }
        finally
        {
            await client.DeleteAsync($"/api/v1/accounts/{medium["id"]}");
        }
    }

    [Fact]
    public async Task Posts_ImageGivenByAPathOnTheServer_IsRefusedNamingTheImage_AndNothingIsRead()
    {
        using var client = await Server.ClientWithScopesAsync(ApiScopes.Write);
        // A file on the server's disk that decodes as an image: the API must not read it, whoever calls it.
        var onServer = Path.Combine(Path.GetTempPath(), $"herald-server-file-{Guid.NewGuid():N}.png");
        using (var bitmap = new SkiaSharp.SKBitmap(8, 8))
        using (var image = SkiaSharp.SKImage.FromBitmap(bitmap))
        using (var png = image.Encode(SkiaSharp.SKEncodedImageFormat.Png, 100))
        {
            await File.WriteAllBytesAsync(onServer, png.ToArray());
        }

        try
        {
            var title = $"Local image {Guid.NewGuid():N}";
            var problem = await client.PostJsonAsync("/api/v1/posts", new
            {
                markdown = $"---\ntype: post\nimages:\n  - src: {onServer}\n    alt: A file on the server\n---\n{title}\n",
                targets = new[] { "mastodon" },
            }).ExpectAsync(HttpStatusCode.UnprocessableEntity);

            Api.AssertProblem(problem, 422);
            var message = (string)problem["errors"]!["images[0].src"]![0]!;
            Assert.Contains("must be an http(s) URL", message, StringComparison.Ordinal);
            var page = await client.GetAsync($"/api/v1/publications?q={Uri.EscapeDataString(title)}").ExpectAsync(HttpStatusCode.OK);
            Assert.Empty(page["items"]!.AsArray());
        }
        finally
        {
            File.Delete(onServer);
        }
    }

    [Fact]
    public async Task Posts_DryRun_ReturnsEachPayloadWithCountsAndStoresNothing()
    {
        using var client = await Server.ClientWithScopesAsync(ApiScopes.Write);
        var title = $"Dry {Guid.NewGuid():N}";
        var result = await client.PostJsonAsync("/api/v1/posts", new
        {
            markdown = $"---\ntitle: {title}\ntags: [dotnet]\n---\nA short body with https://example.com in it.\n",
            targets = new[] { "x", "bluesky", "devto" },
            dryRun = true,
        }).ExpectAsync(HttpStatusCode.OK);

        var payloads = result["payloads"]!.AsArray();
        Assert.Equal(["bluesky", "devto", "x"], payloads.Select(p => (string)p!["platform"]!).Order());
        var x = payloads.Single(p => (string)p!["platform"]! == "x")!;
        var part = x["parts"]!.AsArray().Single()!;
        Assert.True((int)part["count"]! <= (int)part["limit"]!);
        Assert.Equal(280, (int)part["limit"]!);
        var page = await client.GetAsync($"/api/v1/publications?q={Uri.EscapeDataString(title)}").ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(page["items"]!.AsArray());
    }

    [Fact]
    public async Task Posts_SameIdempotencyKeyTwice_StoresOnePublicationAndReplaysTheFirstAnswer()
    {
        using var client = await Server.ClientWithScopesAsync(ApiScopes.Write);
        var title = $"Once {Guid.NewGuid():N}";
        var key = Guid.NewGuid().ToString();
        var body = new { title, body = "Body.", targets = new[] { "devto" }, at = Future };

        async Task<(HttpResponseMessage Response, string Body)> SendAsync(object content)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/posts") { Content = JsonContent(content) };
            request.Headers.Add("Idempotency-Key", key);
            var response = await client.SendAsync(request);
            return (response, await response.Content.ReadAsStringAsync());
        }

        var (first, firstBody) = await SendAsync(body);
        var (second, secondBody) = await SendAsync(body);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(firstBody, secondBody);
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
        var page = await client.GetAsync($"/api/v1/publications?q={Uri.EscapeDataString(title)}").ExpectAsync(HttpStatusCode.OK);
        Assert.Single(page["items"]!.AsArray());

        var (changed, changedBody) = await SendAsync(new { title, body = "Another body.", targets = new[] { "devto" }, at = Future });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, changed.StatusCode);
        Assert.Contains("Idempotency-Key", JsonNode.Parse(changedBody)!["errors"]!.AsObject().Select(e => e.Key));
        page = await client.GetAsync($"/api/v1/publications?q={Uri.EscapeDataString(title)}").ExpectAsync(HttpStatusCode.OK);
        Assert.Single(page["items"]!.AsArray());

        // Keys belong to the API key that sent them: another client's same key is a request of its own (here refused
        // by the repost guard, which names the publication the first request made), not a replay.
        using var other = await Server.ClientWithScopesAsync(ApiScopes.Write);
        using var otherRequest = new HttpRequestMessage(HttpMethod.Post, "/api/v1/posts") { Content = JsonContent(body) };
        otherRequest.Headers.Add("Idempotency-Key", key);
        using var otherResponse = await other.SendAsync(otherRequest);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, otherResponse.StatusCode);
        Assert.False(otherResponse.Headers.Contains("Idempotent-Replayed"));
        Assert.Contains(JsonNode.Parse(firstBody)!["publications"]![0]!["id"]!.ToString(), await otherResponse.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Events_ResumedWithLastEventId_DeliverWhatChangedWhileAwayAndNothingBefore()
    {
        using var client = await Server.ClientWithScopesAsync(ApiScopes.Write);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        string lastEventId;
        string first;
        using (var stream = await OpenEventsAsync(client, null, deadline.Token))
        {
            var posted = await client.PostJsonAsync("/api/v1/posts", Article($"Live {Guid.NewGuid():N}", "devto")).ExpectAsync(HttpStatusCode.Created);
            first = (string)posted["publications"]![0]!["id"]!;
            var published = await ReadUntilAsync(stream, first, "Published", deadline.Token);
            lastEventId = published.EventId!;
            // Events link a sandbox post to the sandbox too.
            Assert.StartsWith(Server.Sandbox.BaseAddress.ToString(), (string?)JsonNode.Parse(published.Data)!["url"], StringComparison.Ordinal);
        }

        // Away: another post is published meanwhile.
        var second = (string)(await client.PostJsonAsync("/api/v1/posts", Article($"Missed {Guid.NewGuid():N}", "x")).ExpectAsync(HttpStatusCode.Created))
            ["publications"]![0]!["id"]!;
        await Api.WaitForAsync(() => client.GetAsync($"/api/v1/publications/{second}").ExpectAsync(HttpStatusCode.OK),
            d => (string?)d["publication"]!["status"] == "Published", "the second post to be published");

        using var resumed = await OpenEventsAsync(client, lastEventId, deadline.Token);
        var seen = new List<System.Net.ServerSentEvents.SseItem<string>>();
        await foreach (var item in System.Net.ServerSentEvents.SseParser.Create(resumed).EnumerateAsync(deadline.Token))
        {
            seen.Add(item);
            var data = JsonNode.Parse(item.Data)!;
            if ((string?)data["id"] == second && (string?)data["status"] == "Published")
            {
                break;
            }
        }

        Assert.DoesNotContain(seen, e => (string?)JsonNode.Parse(e.Data)!["id"] == first);
        Assert.All(seen, e => Assert.Equal("publication", e.EventType));

        using var bad = new HttpRequestMessage(HttpMethod.Get, "/api/v1/events");
        bad.Headers.Add("Last-Event-ID", "not-an-id");
        using var refused = await client.SendAsync(bad);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
    }

    [Fact]
    public async Task Events_OnAStreamWithNothingToSend_TheHeadersArriveAtOnce()
    {
        // A position after every change there will ever be: the stream has nothing to send, yet it is open.
        using var client = await Server.ClientWithScopesAsync(ApiScopes.Read);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var quiet = new Herald.Server.Publications.PublicationCursor(new DateTimeOffset(9000, 1, 1, 0, 0, 0, TimeSpan.Zero), null).Encode();
        await using var stream = await OpenEventsAsync(client, quiet, deadline.Token);
        Assert.False(deadline.IsCancellationRequested);
    }

    private static async Task<Stream> OpenEventsAsync(HttpClient client, string? lastEventId, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/events");
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsStreamAsync(cancellationToken);
    }

    private static async Task<System.Net.ServerSentEvents.SseItem<string>> ReadUntilAsync(Stream stream, string id, string status, CancellationToken cancellationToken)
    {
        await foreach (var item in System.Net.ServerSentEvents.SseParser.Create(stream).EnumerateAsync(cancellationToken))
        {
            var data = JsonNode.Parse(item.Data)!;
            if ((string?)data["id"] == id && (string?)data["status"] == status)
            {
                return item;
            }
        }

        throw new InvalidOperationException($"the stream ended before {id} was {status}");
    }

    [Fact]
    public async Task Previews_ShowEachTargetsPayloadAndWhatWouldBeRefusedAndStoreNothing()
    {
        using var client = await Server.ClientWithScopesAsync(ApiScopes.Read);
        var title = $"Preview {Guid.NewGuid():N} " + new string('p', 150);
        var result = await client.PostJsonAsync("/api/v1/previews", new { title, body = "A body with https://example.com.", targets = new[] { "devto", "bluesky" } })
            .ExpectAsync(HttpStatusCode.OK);

        var targets = result["targets"]!.AsArray();
        var devto = targets.Single(t => (string?)t!["platform"] == "devto")!;
        Assert.Contains(devto["problems"]!.AsArray(), p => ((string)p!).StartsWith("title: ", StringComparison.Ordinal));
        Assert.Null(devto["payload"]);
        var bluesky = targets.Single(t => (string?)t!["platform"] == "bluesky")!;
        Assert.Empty(bluesky["problems"]!.AsArray());
        var part = bluesky["payload"]!["parts"]![0]!;
        Assert.True((int)part["count"]! <= (int)part["limit"]!);
        Assert.NotEmpty(part["facets"]!.AsArray());

        var page = await client.GetAsync($"/api/v1/publications?q={Uri.EscapeDataString(title[..40])}").ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(page["items"]!.AsArray());
        Api.AssertProblem(await client.PostJsonAsync("/api/v1/previews", new { body = "x", targets = new[] { "myspace" } })
            .ExpectAsync(HttpStatusCode.UnprocessableEntity), 422);
    }

    [Fact]
    public async Task Previews_ImageGivenByUrl_ListedPerTargetAsItWouldGoWithoutBeingFetched()
    {
        using var client = await Server.ClientWithScopesAsync(ApiScopes.Read);
        const string cat = "https://images.example/cat.jpg";
        var markdown = $"---\ntitle: Cats {Guid.NewGuid():N}\nimages: [{{src: '{cat}', alt: \"A cat\"}}]\n---\nAll about cats.\n";

        var result = await client.PostJsonAsync("/api/v1/previews", new { markdown, targets = new[] { "devto", "bluesky" } }).ExpectAsync(HttpStatusCode.OK);

        var targets = result["targets"]!.AsArray();
        var devto = Assert.Single(targets.Single(t => (string?)t!["platform"] == "devto")!["images"]!.AsArray())!;
        Assert.Equal(("url", cat, "A cat"), ((string?)devto["delivery"], (string?)devto["url"], (string?)devto["alt"]));
        Assert.Equal("sent as is: Dev.to downloads it from its own URL", (string?)devto["fitting"]);
        var bluesky = Assert.Single(targets.Single(t => (string?)t!["platform"] == "bluesky")!["images"]!.AsArray())!;
        Assert.Equal(("upload", cat), ((string?)bluesky["delivery"], (string?)bluesky["source"]));
        Assert.StartsWith("fetched at scheduling (a preview fetches nothing), then fitted to at most 1,000,000 bytes", (string?)bluesky["fitting"], StringComparison.Ordinal);
        Assert.Null(bluesky["length"]);
        Assert.Empty(bluesky["refusals"]!.AsArray());
    }

    [Fact]
    public async Task Publications_UnknownId_Is404Problem()
    {
        using var client = await Server.ClientWithScopesAsync(ApiScopes.Write);
        var id = Guid.NewGuid().ToString("N");
        Api.AssertProblem(await client.GetAsync($"/api/v1/publications/{id}").ExpectAsync(HttpStatusCode.NotFound), 404);
        Api.AssertProblem(await client.PostAsync($"/api/v1/publications/{id}/cancel", null).ExpectAsync(HttpStatusCode.NotFound), 404);
        Api.AssertProblem(await client.GetAsync("/api/v1/publications/not-an-id").ExpectAsync(HttpStatusCode.NotFound), 404);
    }

    [Fact]
    public async Task Publications_CancelRescheduleRetry_FollowTheStatusMachine()
    {
        using var client = await Server.ClientWithScopesAsync(ApiScopes.Write);
        var created = await client.PostJsonAsync("/api/v1/posts", new
        {
            title = $"Later {Guid.NewGuid():N}",
            body = "Due in three days.",
            targets = new[] { "devto" },
            at = Future,
            timeZone = "Europe/Berlin",
        }).ExpectAsync(HttpStatusCode.Created);
        var publication = created["publications"]![0]!;
        Assert.Equal("Scheduled", (string?)publication["status"]);
        Assert.Equal("Europe/Berlin", (string?)publication["timeZone"]);
        var id = (string)publication["id"]!;

        // Retry is for failed ones; a Scheduled post waits for its time.
        Api.AssertProblem(await client.PostAsync($"/api/v1/publications/{id}/retry", null).ExpectAsync(HttpStatusCode.Conflict), 409);
        var cancelled = await client.PostAsync($"/api/v1/publications/{id}/cancel", null).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Cancelled", (string?)cancelled["status"]);
        Api.AssertProblem(await client.PostAsync($"/api/v1/publications/{id}/cancel", null).ExpectAsync(HttpStatusCode.Conflict), 409);

        Api.AssertProblem(await client.PostJsonAsync($"/api/v1/publications/{id}/reschedule", new { at = "yesterday" })
            .ExpectAsync(HttpStatusCode.UnprocessableEntity), 422);
        var rescheduled = await client.PostJsonAsync($"/api/v1/publications/{id}/reschedule", new { at = Future, timeZone = "America/New_York" })
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Scheduled", (string?)rescheduled["status"]);
        Assert.Equal("America/New_York", (string?)rescheduled["timeZone"]);
        Api.AssertProblem(await client.PostJsonAsync($"/api/v1/publications/{id}/posted", new { url = "not a url" })
            .ExpectAsync(HttpStatusCode.UnprocessableEntity), 422);
    }

    [Fact]
    public async Task PublicationsList_PagingWhileOthersInsert_ReturnsEveryRowOnceAndSkipsNone()
    {
        using var client = await Server.ClientWithScopesAsync(ApiScopes.Write);
        var marker = $"Paged {Guid.NewGuid():N}";
        var expected = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var created = await client.PostJsonAsync("/api/v1/posts", new { title = $"{marker} {i}", body = "Body.", targets = new[] { "devto", "medium", "x" }, at = Future })
                .ExpectAsync(HttpStatusCode.Created);
            expected.AddRange(created["publications"]!.AsArray().Select(p => (string)p!["id"]!));
        }

        var seen = new List<string>();
        string? cursor = null;
        var inserted = 0;
        do
        {
            var page = await client.GetAsync($"/api/v1/publications?q={Uri.EscapeDataString(marker)}&limit=4" + (cursor is null ? "" : $"&cursor={cursor}"))
                .ExpectAsync(HttpStatusCode.OK);
            seen.AddRange(page["items"]!.AsArray().Select(p => (string)p!["id"]!));
            cursor = (string?)page["nextCursor"];
            // New rows arrive between pages: they are newer than the cursor, so they neither repeat nor push rows out.
            await client.PostJsonAsync("/api/v1/posts", new { title = $"{marker} new {inserted++}", body = "Body.", targets = new[] { "devto", "x" }, at = Future })
                .ExpectAsync(HttpStatusCode.Created);
        }
        while (cursor is not null);

        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Empty(expected.Except(seen));
    }

    [Fact]
    public async Task PublicationsList_RowsSharingOneCreationTime_PageWithACursorThatDoesNotGrow()
    {
        // One post to every account stamps all its publications with one instant, as a bulk schedule does with thousands.
        using var client = await Server.ClientWithScopesAsync(ApiScopes.Write);
        var marker = $"Shared instant {Guid.NewGuid():N}";
        var created = await client.PostJsonAsync("/api/v1/posts", new { title = marker, body = "Body.", targets = new[] { "all" }, at = Future })
            .ExpectAsync(HttpStatusCode.Created);
        var expected = created["publications"]!.AsArray().Select(p => (string)p!["id"]!).ToList();
        Assert.True(expected.Count >= 5, $"expected a publication per sandbox account, got {expected.Count}");

        var seen = new List<string>();
        var cursors = new List<string>();
        string? cursor = null;
        do
        {
            var page = await client.GetAsync($"/api/v1/publications?q={Uri.EscapeDataString(marker)}&limit=2" + (cursor is null ? "" : $"&cursor={cursor}"))
                .ExpectAsync(HttpStatusCode.OK);
            seen.AddRange(page["items"]!.AsArray().Select(p => (string)p!["id"]!));
            cursor = (string?)page["nextCursor"];
            if (cursor is not null)
            {
                cursors.Add(cursor);
            }
        }
        while (cursor is not null);

        Assert.Equal(expected.Order(), seen.Order());
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Single(cursors.Select(c => c.Length).Distinct());

        // A cursor in the older form (the instant and the ids given out at it) resumes with every row at that instant:
        // it may repeat what it listed, and it skips nothing.
        var createdAt = DateTimeOffset.Parse((string)created["publications"]![0]!["createdAt"]!, System.Globalization.CultureInfo.InvariantCulture);
        var older = System.Buffers.Text.Base64Url.EncodeToString(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(
            new { T = createdAt.UtcTicks, S = seen.Take(2).Select(Guid.Parse).ToArray() }));
        var resumed = await client.GetAsync($"/api/v1/publications?q={Uri.EscapeDataString(marker)}&limit=50&cursor={older}").ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(expected.Except(resumed["items"]!.AsArray().Select(p => (string)p!["id"]!)));
    }

    [Fact]
    public async Task PublicationsList_UnknownStatusOrBadCursor_Is422WithTheFields()
    {
        using var client = await Server.ClientWithScopesAsync(ApiScopes.Read);
        var problem = await client.GetAsync("/api/v1/publications?status=Lost&limit=0&cursor=zzz").ExpectAsync(HttpStatusCode.UnprocessableEntity);
        Api.AssertProblem(problem, 422);
        Assert.Equal(["cursor", "limit", "status"], problem["errors"]!.AsObject().Select(e => e.Key).Order());
    }

    [Fact]
    public async Task Contents_DeleteWhileNothingSent_RemovesItAndRefusesOnceSent()
    {
        using var client = await Server.ClientWithScopesAsync(ApiScopes.Write);
        var later = await client.PostJsonAsync("/api/v1/posts", new { title = $"Delete me {Guid.NewGuid():N}", body = "Body.", targets = new[] { "devto", "x" }, at = Future })
            .ExpectAsync(HttpStatusCode.Created);
        var contentId = (string)later["content"]!["id"]!;
        var details = await client.GetAsync($"/api/v1/contents/{contentId}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, details["publications"]!.AsArray().Count);
        await client.DeleteAsync($"/api/v1/contents/{contentId}").ExpectAsync(HttpStatusCode.NoContent);
        Api.AssertProblem(await client.GetAsync($"/api/v1/contents/{contentId}").ExpectAsync(HttpStatusCode.NotFound), 404);
        Api.AssertProblem(await client.GetAsync($"/api/v1/publications/{later["publications"]![0]!["id"]}").ExpectAsync(HttpStatusCode.NotFound), 404);

        var now = await client.PostJsonAsync("/api/v1/posts", Article($"Sent {Guid.NewGuid():N}", "devto")).ExpectAsync(HttpStatusCode.Created);
        var sentId = (string)now["publications"]![0]!["id"]!;
        await Api.WaitForAsync(() => client.GetAsync($"/api/v1/publications/{sentId}").ExpectAsync(HttpStatusCode.OK),
            d => (string?)d["publication"]!["status"] == "Published", "the post to be published");
        Api.AssertProblem(await client.DeleteAsync($"/api/v1/contents/{now["content"]!["id"]}").ExpectAsync(HttpStatusCode.Conflict), 409);
    }

    [Fact]
    public async Task Accounts_SandboxSettingMustBeTrueOrFalse_AndAnAccountAddedWithItLinksItsPostsToTheSandbox()
    {
        using var client = await Server.ClientWithScopesAsync(ApiScopes.Write);
        var simulated = Herald.Sandbox.Hosting.SandboxPlatforms.Find("mastodon")!.Account;
        var name = $"sandboxed {Guid.NewGuid():N}";
        object Draft(string flag) => new
        {
            platform = "mastodon",
            displayName = name,
            credentials = simulated.Credentials,
            settings = new Dictionary<string, string>(simulated.Settings) { ["sandbox"] = flag },
        };

        // A flag that is neither true nor false would fail every publication on the account: refused, nothing stored.
        var refused = await client.PostJsonAsync("/api/v1/accounts", Draft("yes")).ExpectAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["settings.sandbox"], refused["errors"]!.AsObject().Select(e => e.Key));
        var accounts = await client.GetAsync("/api/v1/accounts").ExpectAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(name, accounts.ToJsonString(), StringComparison.Ordinal);

        var id = (string)(await client.PostJsonAsync("/api/v1/accounts", Draft("true")).ExpectAsync(HttpStatusCode.Created))["id"]!;
        try
        {
            var patch = await client.PatchAsync($"/api/v1/accounts/{id}", JsonContent(new { settings = new Dictionary<string, string?> { ["sandbox"] = "maybe" } }))
                .ExpectAsync(HttpStatusCode.UnprocessableEntity);
            Assert.Equal(["settings.sandbox"], patch["errors"]!.AsObject().Select(e => e.Key));

            // Posted to that account by id, the post links to the sandbox's page of it.
            var posted = await client.PostJsonAsync("/api/v1/posts", Article($"Own sandbox account {Guid.NewGuid():N}", id)).ExpectAsync(HttpStatusCode.Created);
            var publicationId = (string)posted["publications"]![0]!["id"]!;
            var details = await Api.WaitForAsync(
                () => client.GetAsync($"/api/v1/publications/{publicationId}").ExpectAsync(HttpStatusCode.OK),
                d => (string?)d["publication"]!["status"] == "Published", "the post on the added sandbox account to be published");
            await AssertSandboxPageAsync((string?)details["publication"]!["url"], "mastodon");
        }
        finally
        {
            // The other tests post to "all", one account per platform.
            (await client.DeleteAsync($"/api/v1/accounts/{id}?cancelPending=true")).Dispose();
        }
    }

    [Fact]
    public async Task Accounts_CreateListPatchDelete_NeverShowCredentialsAndGuardPendingPublications()
    {
        using var client = await Server.ClientWithScopesAsync(ApiScopes.Write);
        var name = $"team {Guid.NewGuid():N}";
        var secret = $"secret-{Guid.NewGuid():N}";
        using var createdResponse = await client.PostJsonAsync("/api/v1/accounts", new
        {
            platform = "mastodon",
            displayName = name,
            credentials = new Dictionary<string, string> { ["access_token"] = secret },
            settings = new Dictionary<string, string> { ["visibility"] = "unlisted" },
            baseUrl = Server.Sandbox.PlatformBaseUrl("mastodon").ToString(),
        });
        var created = await createdResponse.ReadJsonAsync();
        Assert.Equal(HttpStatusCode.Created, createdResponse.StatusCode);
        Assert.DoesNotContain(secret, created.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(["access_token"], created["credentialKeys"]!.AsArray().Select(k => (string)k!));
        var id = (string)created["id"]!;

        Api.AssertProblem(await client.PostJsonAsync("/api/v1/accounts", new { platform = "mastodon", displayName = name })
            .ExpectAsync(HttpStatusCode.Conflict), 409);
        var invalid = await client.PostJsonAsync("/api/v1/accounts", new { platform = "myspace", displayName = "", baseUrl = "http://example.com" })
            .ExpectAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["baseUrl", "displayName", "platform"], invalid["errors"]!.AsObject().Select(e => e.Key).Order());

        var listed = await client.GetAsync("/api/v1/accounts").ExpectAsync(HttpStatusCode.OK);
        Assert.Contains(listed.AsArray(), a => (string?)a!["id"] == id);
        Assert.DoesNotContain(secret, listed.ToJsonString(), StringComparison.Ordinal);

        var patched = await client.PatchAsync($"/api/v1/accounts/{id}", JsonContent(new { displayName = name + " renamed", settings = new Dictionary<string, string?> { ["visibility"] = null, ["language"] = "en" } }))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(name + " renamed", (string?)patched["displayName"]);
        Assert.Equal("en", (string?)patched["settings"]!["language"]);
        Assert.Null(patched["settings"]!["visibility"]);

        // A publication waits on it: deleting is refused, unless the waiting ones are cancelled with it.
        var later = await client.PostJsonAsync("/api/v1/posts", new { title = $"On {name}", body = "Body.", targets = new[] { id }, at = Future })
            .ExpectAsync(HttpStatusCode.Created);
        Api.AssertProblem(await client.DeleteAsync($"/api/v1/accounts/{id}").ExpectAsync(HttpStatusCode.Conflict), 409);
        await client.DeleteAsync($"/api/v1/accounts/{id}?cancelPending=true").ExpectAsync(HttpStatusCode.NoContent);
        Api.AssertProblem(await client.GetAsync($"/api/v1/accounts/{id}").ExpectAsync(HttpStatusCode.NotFound), 404);
        var cancelled = await client.GetAsync($"/api/v1/publications/{later["publications"]![0]!["id"]}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Cancelled", (string?)cancelled["publication"]!["status"]);
    }

    [Fact]
    public async Task Keys_AdminCreatesAndRevokes_WriteKeyIsRefused()
    {
        using var writer = await Server.ClientWithScopesAsync(ApiScopes.Write);
        Api.AssertProblem(await writer.GetAsync("/api/v1/keys").ExpectAsync(HttpStatusCode.Forbidden), 403);

        using var admin = await Server.ClientWithScopesAsync(ApiScopes.Admin);
        var created = await admin.PostJsonAsync("/api/v1/keys", new { name = "ci", scopes = new[] { "read" } }).ExpectAsync(HttpStatusCode.Created);
        var key = (string)created["key"]!;
        Assert.StartsWith("hk_", key, StringComparison.Ordinal);
        Assert.DoesNotContain(key, (await admin.GetAsync("/api/v1/keys").ExpectAsync(HttpStatusCode.OK)).ToJsonString(), StringComparison.Ordinal);
        Api.AssertProblem(await admin.PostJsonAsync("/api/v1/keys", new { name = "x", scopes = new[] { "root" } }).ExpectAsync(HttpStatusCode.UnprocessableEntity), 422);

        using var reader = Server.CreateClient();
        reader.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        await reader.GetAsync("/api/v1/accounts").ExpectAsync(HttpStatusCode.OK);
        await admin.DeleteAsync($"/api/v1/keys/{created["info"]!["id"]}").ExpectAsync(HttpStatusCode.OK);
        await reader.GetAsync("/api/v1/accounts").ExpectAsync(HttpStatusCode.Unauthorized);
        Api.AssertProblem(await admin.DeleteAsync($"/api/v1/keys/{Guid.NewGuid()}").ExpectAsync(HttpStatusCode.NotFound), 404);
    }

    [Fact]
    public async Task JobsDashboard_NeedsAnAdminKey()
    {
        using var anonymous = Server.CreateClient(new() { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/jobs")).StatusCode);
        using var writer = await Server.ClientWithScopesAsync(ApiScopes.Write);
        Assert.Equal(HttpStatusCode.Forbidden, (await writer.GetAsync("/jobs")).StatusCode);
        using var admin = await Server.ClientWithScopesAsync(ApiScopes.Admin);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/jobs")).StatusCode);
    }

    private static StringContent JsonContent(object body) =>
        new(System.Text.Json.JsonSerializer.Serialize(body, System.Text.Json.JsonSerializerOptions.Web), System.Text.Encoding.UTF8, "application/json");
}

/// <summary>The API on the embedded SQLite database.</summary>
public sealed class SqliteServerApiTests(SqliteServerFactory server) : ServerApiTests(server), IClassFixture<SqliteServerFactory>;

/// <summary>The API on the real PostgreSQL the suite starts.</summary>
public sealed class PostgresServerApiTests(PostgresServerFactory server) : ServerApiTests(server), IClassFixture<PostgresServerFactory>;
