using Herald.Engine;
using Herald.Platforms;
using Herald.Publications;
using Herald.Sandbox.Hosting;

namespace Herald.IntegrationTests.Engine;

public sealed class PublicationRunnerTests
{
    [Fact]
    public async Task Run_DevToAccepts_StoresPublishedWithIdUrlPayloadAndOneAttempt()
    {
        await using var harness = await RunnerHarness.StartAsync();
        var (publication, account) = await harness.ScheduleAsync(RunnerHarness.Article("Runner happy path"), harness.DevToAccount());

        var result = await harness.Runner.RunAsync(publication, RunnerHarness.Article("Runner happy path"), account, "worker-1");

        Assert.True(result.IsSuccess, result.Error);
        var stored = await harness.Store.GetPublicationAsync(publication.Id);
        Assert.NotNull(stored);
        Assert.Equal(PublicationStatus.Published, stored.Status);
        Assert.Equal(result.ExternalId, stored.ExternalId);
        Assert.Equal(result.Url, stored.Url);
        Assert.Contains("\"body_markdown\"", stored.Payload, StringComparison.Ordinal);
        Assert.Null(stored.LeaseOwner);
        var attempt = Assert.Single(await harness.Store.GetAttemptsAsync(publication.Id));
        Assert.Equal(PublishOutcomeKind.Published, attempt.Outcome);
        Assert.Equal(201, attempt.HttpStatus);
        Assert.Equal(1, attempt.Number);
    }

    [Fact]
    public async Task Run_DevTo503_LooksItUpFirstThenSchedulesRetryOneMinuteLater()
    {
        // A 5xx on a create may come from a gateway after the post was made (C1): Herald looks before it resends.
        await using var harness = await RunnerHarness.StartAsync(new SandboxFaults { ServerErrorRate = 1 });
        var content = RunnerHarness.Article("Runner transient");
        var (publication, account) = await harness.ScheduleAsync(content, harness.DevToAccount());

        var result = await harness.Runner.RunAsync(publication, content, account, "worker-1");

        Assert.Equal(PublishOutcomeKind.Unknown, result.Kind);
        var stored = await harness.Store.GetPublicationAsync(publication.Id);
        Assert.Equal(PublicationStatus.RetryScheduled, stored!.Status);
        Assert.Equal(1, stored.RetryCount);
        Assert.Equal(harness.Clock.GetUtcNow().AddMinutes(1), stored.NextAttemptAt);
        Assert.Equal(PublishOutcomeKind.Unknown, stored.LastErrorKind);
        Assert.Contains("not found on the platform", stored.LastError, StringComparison.Ordinal);
        Assert.Null(stored.UncertainSince);
        Assert.Contains(harness.Sandbox.Requests.For("devto"), r => r.Method == "GET");
    }

    [Fact]
    public async Task Run_UncertainSendNotFound_SendsThePayloadRenderedAfreshNotTheOneStoredBeforeIt()
    {
        // A worker died after marking a send made with an old footer; the user changed the footer since. The lookup
        // finds nothing, so that send did not take effect: what goes out is rendered now, and stored as sent.
        await using var harness = await RunnerHarness.StartAsync();
        var content = RunnerHarness.Article("Runner fresh render after lookup");
        var (publication, stored) = await harness.ScheduleAsync(content, harness.DevToAccount());
        var now = harness.Clock.GetUtcNow();
        publication.BeginAttempt("worker-that-died", now.AddMinutes(5), now);
        publication.SetPayload("{\"article\":{\"title\":\"Runner fresh render after lookup\",\"body_markdown\":\"old footer\"}}", now);
        publication.BeginSend(now);
        publication.EndWithoutOutcome(now, "The worker stopped.", now);
        await harness.Store.SavePublicationAsync(publication);
        var account = new Herald.Accounts.Account
        {
            Id = stored.Id,
            Platform = stored.Platform,
            DisplayName = stored.DisplayName,
            BaseUrl = stored.BaseUrl,
            Credentials = stored.Credentials,
            Settings = new Dictionary<string, string> { ["footer"] = "*New footer.*" },
        };

        var result = await harness.Runner.RunAsync(publication, content, account, "worker-2");

        Assert.True(result.IsSuccess, result.Error);
        var requests = harness.Sandbox.Requests.For("devto");
        Assert.Contains(requests, r => r.Method == "GET");
        var sent = Assert.Single(requests, r => r.Method == "POST").Body;
        Assert.Contains("*New footer.*", sent, StringComparison.Ordinal);
        Assert.DoesNotContain("old footer", sent, StringComparison.Ordinal);
        Assert.Equal(sent, (await harness.Store.GetPublicationAsync(publication.Id))!.Payload);
    }

    [Fact]
    public async Task Run_DevTo503WithNoRetriesLeft_Fails()
    {
        await using var harness = await RunnerHarness.StartAsync(new SandboxFaults { ServerErrorRate = 1 });
        var content = RunnerHarness.Article("Runner out of retries");
        var (publication, account) = await harness.ScheduleAsync(content, harness.DevToAccount(), maxRetries: 0);

        await harness.Runner.RunAsync(publication, content, account, "worker-1");

        Assert.Equal(PublicationStatus.Failed, (await harness.Store.GetPublicationAsync(publication.Id))!.Status);
    }

    [Fact]
    public async Task Run_DevTo401_FailsAtOnceWithoutTheKeyInTheError()
    {
        await using var harness = await RunnerHarness.StartAsync();
        const string wrongKey = "wrong-key-0123456789";
        var content = RunnerHarness.Article("Runner unauthorized");
        var (publication, account) = await harness.ScheduleAsync(content, harness.DevToAccount(wrongKey));

        var result = await harness.Runner.RunAsync(publication, content, account, "worker-1");

        Assert.Equal(PublishOutcomeKind.Permanent, result.Kind);
        var stored = await harness.Store.GetPublicationAsync(publication.Id);
        Assert.Equal(PublicationStatus.Failed, stored!.Status);
        Assert.Equal(1, stored.AttemptCount);
        Assert.DoesNotContain(wrongKey, stored.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_AcceptThenDrop_ReconcilesToPublishedWithoutResending()
    {
        await using var harness = await RunnerHarness.StartAsync(new SandboxFaults { DropAfterAcceptRate = 1 });
        var content = RunnerHarness.Article("Runner dropped connection");
        var (publication, account) = await harness.ScheduleAsync(content, harness.DevToAccount());

        var result = await harness.Runner.RunAsync(publication, content, account, "worker-1");

        // The send's own outcome stays Unknown; the lookup that found the post makes it a success.
        Assert.Equal(PublishOutcomeKind.Unknown, result.Kind);
        Assert.True(result.FoundByLookup);
        Assert.True(result.IsSuccess);
        var stored = await harness.Store.GetPublicationAsync(publication.Id);
        Assert.Equal(PublicationStatus.Published, stored!.Status);
        Assert.NotNull(stored.ExternalId);
        Assert.Equal(stored.ExternalId, result.ExternalId);
        var creates = harness.Sandbox.Requests.For("devto").Where(r => r.Method == "POST").ToList();
        Assert.Single(creates);
    }

    [Fact]
    public async Task Run_LinkedInManual_AwaitsManualActionWithTheDraft()
    {
        await using var harness = await RunnerHarness.StartAsync();
        var content = RunnerHarness.Article("Runner manual draft");
        var (publication, account) = await harness.ScheduleAsync(content, harness.LinkedInManualAccount());

        var result = await harness.Runner.RunAsync(publication, content, account, "worker-1");

        Assert.Equal(PublishOutcomeKind.ManualActionRequired, result.Kind);
        var stored = await harness.Store.GetPublicationAsync(publication.Id);
        Assert.Equal(PublicationStatus.AwaitingManualAction, stored!.Status);
        Assert.StartsWith("🚀 Runner manual draft", stored.Payload, StringComparison.Ordinal);
        Assert.Empty(harness.Sandbox.Requests.For("linkedin"));
    }
}
