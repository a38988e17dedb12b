using System.Security.Cryptography;
using System.Text.Json;
using Herald.Sandbox;
using Herald.Sandbox.Hosting;

namespace Herald.Cli.Tests;

/// <summary>
/// <c>herald accounts list|add|test|remove</c> and <c>--to x:work</c>: each command, each refusal with its exit code,
/// the JSON shapes, and that no credential is ever printed back.
/// </summary>
public sealed class AccountsCommandTests
{
    private static readonly string Sentinel = $"sentinel-{RandomNumberGenerator.GetHexString(32, lowercase: true)}";

    [Fact]
    public async Task AddSandboxAccounts_ListShowsKeysNeverValues_TestSaysWhose()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        using var run = new CliRun();
        run.UseStandaloneSandbox(sandbox);

        var work = await run.InvokeAsync(new NoTerminal(), "accounts", "add", "devto:work", "--sandbox");
        var personal = await run.InvokeAsync(new NoTerminal(), "accounts", "add", "mastodon:personal", "--sandbox");
        var list = await run.InvokeAsync("accounts", "list", "--sandbox");
        var json = await run.InvokeAsync("accounts", "list", "--sandbox", "--json");
        var test = await run.InvokeAsync("accounts", "test", "devto:work,mastodon:personal", "--sandbox");
        var testJson = await run.InvokeAsync("accounts", "test", "mastodon:personal", "--sandbox", "--json");
        // Every account, the sandbox's own among them (a Bluesky check renews a session, kept in the account's row).
        var testAll = await run.InvokeAsync("accounts", "test", "--sandbox");
        var doctor = await run.InvokeAsync("doctor", "--sandbox");

        Assert.True(work.ExitCode == 0, work.Error);
        Assert.Contains("✓ Added devto:work (Dev.to, sandbox): credentials api_key stored encrypted", work.Output, StringComparison.Ordinal);
        Assert.Equal(0, personal.ExitCode);
        Assert.Equal(0, list.ExitCode);
        Assert.Matches(@"devto:work\s+stored\s+unknown\s+api_key", list.Output);
        Assert.Matches(@"x:sandbox\s+sandbox\s+unknown\s+access_token", list.Output);
        var accounts = JsonDocument.Parse(json.Output).RootElement.EnumerateArray().ToList();
        var devto = Assert.Single(accounts, a => a.GetProperty("account").GetString() == "devto:work");
        Assert.Equal("stored", devto.GetProperty("source").GetString());
        Assert.True(devto.GetProperty("sandbox").GetBoolean());
        Assert.Equal(["api_key"], devto.GetProperty("credentialKeys").EnumerateArray().Select(k => k.GetString()));
        Assert.True(devto.GetProperty("credentialsReadable").GetBoolean());
        Assert.True(Guid.TryParse(devto.GetProperty("id").GetString(), out _));
        Assert.Equal(JsonValueKind.Null, Assert.Single(accounts, a => a.GetProperty("account").GetString() == "devto:sandbox").GetProperty("id").ValueKind);
        Assert.True(test.ExitCode == 0, test.Output + test.Error);
        Assert.Matches(@"✓ devto:work\s+works: .+ They belong to ", test.Output);
        Assert.Matches(@"✓ mastodon:personal\s+works: ", test.Output);
        Assert.Contains("\n  can post: yes, upload images: yes, read posts back: yes\n", test.Output, StringComparison.Ordinal);
        var tested = Assert.Single(JsonDocument.Parse(testJson.Output).RootElement.EnumerateArray());
        Assert.True(tested.GetProperty("works").GetBoolean());
        Assert.True(tested.GetProperty("canDoAll").GetBoolean());
        Assert.Equal(["post", "uploadImages", "readBack"], tested.GetProperty("capabilities").EnumerateArray().Select(c => c.GetProperty("capability").GetString()));
        Assert.All(tested.GetProperty("capabilities").EnumerateArray(), c => Assert.Equal("yes", c.GetProperty("answer").GetString()));
        Assert.Equal(["read", "write"], tested.GetProperty("grantedScopes").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("works", tested.GetProperty("verdict").GetString());
        Assert.False(string.IsNullOrEmpty(tested.GetProperty("identity").GetString()));
        Assert.True(testAll.ExitCode == 0, testAll.Output + testAll.Error);
        Assert.Matches(@"✓ bluesky:sandbox\s+works", testAll.Output);
        Assert.Equal(9, testAll.Output.Split('\n').Count(l => l.StartsWith('✓')));
        Assert.True(doctor.ExitCode == 0, doctor.Output + doctor.Error);
        Assert.Contains("✓ devto:work   works", doctor.Output, StringComparison.Ordinal);
        NoSecretIn(work, personal, list, json, test, testJson, testAll, doctor);
    }

    [Fact]
    public async Task Test_RefusedCredentials_ExitOneSaysSoAndHowToFix_NeverShowsThem()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        using var run = new CliRun();
        run.UseStandaloneSandbox(sandbox);
        var added = await run.InvokeAsync(new NoTerminal(), "accounts", "add", "mastodon:wrong", "--sandbox", "--credential", $"access_token={Sentinel}");

        var test = await run.InvokeAsync("accounts", "test", "mastodon:wrong", "--sandbox");

        Assert.Equal(0, added.ExitCode);
        Assert.Equal(1, test.ExitCode);
        Assert.Contains("✗ mastodon:wrong", test.Output, StringComparison.Ordinal);
        Assert.Contains("credentials refused", test.Output, StringComparison.Ordinal);
        Assert.Contains("fix: enter them again: herald accounts remove mastodon:wrong --sandbox", test.Output, StringComparison.Ordinal);
        NoSecretIn(added, test);
    }

    [Fact]
    public async Task Test_TokenLackingAScope_WarnsNamingItAndTheFix_ExitOne()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        sandbox.State.Mastodon.AddAccount(Sentinel, "textonly", ["read", "write:statuses"]);
        using var run = new CliRun();
        run.UseStandaloneSandbox(sandbox);
        var added = await run.InvokeAsync(new NoTerminal(), "accounts", "add", "mastodon:textonly", "--sandbox", "--credential", $"access_token={Sentinel}");

        var test = await run.InvokeAsync("accounts", "test", "mastodon:textonly", "--sandbox");
        var json = await run.InvokeAsync("accounts", "test", "mastodon:textonly", "--sandbox", "--json");
        var doctor = await run.InvokeAsync("doctor", "--sandbox");

        Assert.Equal(0, added.ExitCode);
        Assert.True(test.ExitCode == 1, test.Output + test.Error);
        Assert.Matches(@"⚠ mastodon:textonly\s+works, but cannot do all Herald needs: .+ They belong to textonly", test.Output);
        Assert.Contains("\n  can post: yes, upload images: no (lacks write:media), read posts back: yes\n", test.Output, StringComparison.Ordinal);
        Assert.Contains("\n  the token's application lacks write:media: images cannot be posted.\n", test.Output, StringComparison.Ordinal);
        Assert.Contains("\n  fix: create a token with the scopes write:statuses, write:media, read:statuses, read:accounts", test.Output, StringComparison.Ordinal);
        Assert.Equal(1, json.ExitCode);
        var tested = Assert.Single(JsonDocument.Parse(json.Output).RootElement.EnumerateArray());
        Assert.True(tested.GetProperty("works").GetBoolean());
        Assert.False(tested.GetProperty("canDoAll").GetBoolean());
        Assert.Equal(["write:media"], tested.GetProperty("missingScopes").EnumerateArray().Select(c => c.GetString()));
        var images = tested.GetProperty("capabilities").EnumerateArray().Single(c => c.GetProperty("capability").GetString() == "uploadImages");
        Assert.Equal("no", images.GetProperty("answer").GetString());
        Assert.Contains("Preferences → Development", images.GetProperty("fix").GetString(), StringComparison.Ordinal);
        Assert.Contains("✗ mastodon:textonly", doctor.Output, StringComparison.Ordinal);
        Assert.Contains("upload images: no (lacks write:media)", doctor.Output, StringComparison.Ordinal);
        NoSecretIn(added, test, json, doctor);
    }

    [Fact]
    public async Task Add_CredentialAskedWithoutEcho_StoredAccountPublishesWithToName()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        using var run = new CliRun();
        var prompt = new ScriptedPrompt(SandboxAccounts.DevToKey);

        var added = await run.InvokeAsync(prompt, "accounts", "add", "devto:blog", "--base-url", sandbox.PlatformBaseUrl("devto").ToString());
        var test = await run.InvokeAsync("accounts", "test", "devto:blog");
        var posted = await run.InvokeAsync("post", CliRun.Example, "--to", "devto:blog");
        var status = await run.InvokeAsync("status", "--json");

        Assert.True(added.ExitCode == 0, added.Error);
        Assert.Equal(["Dev.to api_key"], prompt.SecretQuestions);
        Assert.Equal(0, test.ExitCode);
        Assert.True(posted.ExitCode == 0, posted.Output + posted.Error);
        Assert.Matches(@"devto:blog ✓ published", posted.Output);
        Assert.Equal("Published", Assert.Single(JsonDocument.Parse(status.Output).RootElement.EnumerateArray()).GetProperty("status").GetString());
        NoSecretIn(added, test, posted, status);
    }

    [Fact]
    public async Task Post_TwoNamedAccountsOfOnePlatform_PublishesToEach_AndAllIncludesThem()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        using var run = new CliRun();
        run.UseStandaloneSandbox(sandbox);
        // Mastodon: the sandbox's X knows one user, who may not post the same text twice.
        await run.InvokeAsync(new NoTerminal(), "accounts", "add", "mastodon:work", "--sandbox");
        await run.InvokeAsync(new NoTerminal(), "accounts", "add", "mastodon:personal", "--sandbox");

        var posted = await run.InvokeAsync("post", CliRun.Example, "--to", "mastodon:work,mastodon:personal", "--sandbox", "--json");
        var status = await run.InvokeAsync("status", "--sandbox", "--json");
        var all = await run.InvokeAsync("post", CliRun.Example, "--to", "all", "--sandbox");

        Assert.True(posted.ExitCode == 0, posted.Output + posted.Error);
        var publications = JsonDocument.Parse(posted.Output).RootElement.EnumerateArray().ToList();
        Assert.Equal(2, publications.Count);
        Assert.All(publications, p => Assert.Equal("Published", p.GetProperty("status").GetString()));
        Assert.NotEqual(publications[0].GetProperty("accountId").GetString(), publications[1].GetProperty("accountId").GetString());
        Assert.Equal(2, JsonDocument.Parse(status.Output).RootElement.GetArrayLength());
        Assert.True(all.ExitCode == 0, all.Output + all.Error);
        Assert.Contains("mastodon:work ✓ published", all.Output, StringComparison.Ordinal);
        Assert.Contains("mastodon:personal ✓ published", all.Output, StringComparison.Ordinal);
        Assert.Contains("mastodon:sandbox ✓ published", all.Output, StringComparison.Ordinal);
        Assert.Contains("devto     ✓ published", all.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_PlatformWithSeveralStoredAccounts_RefusedNamingThem()
    {
        using var run = new CliRun();
        await run.InvokeAsync(new NoTerminal(), "accounts", "add", "devto:a", "--credential", "api_key=one");
        await run.InvokeAsync(new NoTerminal(), "accounts", "add", "devto:b", "--credential", "api_key=two");

        var ambiguous = await run.InvokeAsync("post", CliRun.Example, "--to", "devto");
        var unknown = await run.InvokeAsync("post", CliRun.Example, "--to", "devto:c");

        Refused(ambiguous, "error: --to: Dev.to has 2 accounts (devto:a, devto:b); name one, e.g. --to devto:a");
        Refused(unknown, "--to: there is no Dev.to account named 'c' (there is devto:a, devto:b)");
        var (_, status, _) = await run.InvokeAsync("status", "--json");
        Assert.Empty(JsonDocument.Parse(status).RootElement.EnumerateArray());
    }

    [Fact]
    public async Task ToAll_WithoutAnyAccount_RefusedWithExitTwo()
    {
        using var run = new CliRun();

        var posted = await run.InvokeAsync("post", CliRun.Example, "--to", "all");
        var tested = await run.InvokeAsync("accounts", "test");
        var listed = await run.InvokeAsync("accounts", "list", "--json");

        Refused(posted, "--to: 'all' names no account: there are none yet; add one with `herald accounts add PLATFORM:NAME`");
        Refused(tested, "ACCOUNTS: 'all' names no account");
        Assert.Equal(0, listed.ExitCode);
        Assert.Empty(JsonDocument.Parse(listed.Output).RootElement.EnumerateArray());
    }

    [Fact]
    public async Task Add_TokenExpiresAt_IsListedWhenAnInstantAndRefusedNamingTheFlagOtherwise()
    {
        using var run = new CliRun();
        var expiresAt = DateTimeOffset.UtcNow.AddDays(40).AddHours(2);

        var refused = await run.InvokeAsync(new NoTerminal(), "accounts", "add", "threads:me", "--credential", "access_token=x", "--token-expires-at", "in 60 days");
        var added = await run.InvokeAsync(new NoTerminal(), "accounts", "add", "threads:me", "--credential", $"access_token={Sentinel}",
            "--token-expires-at", expiresAt.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture));
        var list = await run.InvokeAsync("accounts", "list");
        var json = await run.InvokeAsync("accounts", "list", "--json");

        Refused(refused, "error: --token-expires-at: must be an ISO 8601 instant with an offset");
        Assert.True(added.ExitCode == 0, added.Error);
        Assert.Matches(@"threads:me\s+stored\s+in 40 days\s+access_token", list.Output);
        var listed = Assert.Single(JsonDocument.Parse(json.Output).RootElement.EnumerateArray());
        Assert.Equal(expiresAt.ToUnixTimeSeconds(), listed.GetProperty("tokenExpiresAt").GetDateTimeOffset().ToUnixTimeSeconds());
        Assert.DoesNotContain(Sentinel, list.Output + json.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_Refusals_ExitTwoNamingTheFlag_NothingStored()
    {
        using var run = new CliRun(new Dictionary<string, object> { ["devto"] = new Dictionary<string, object> { ["Credentials"] = new Dictionary<string, string> { ["api_key"] = Sentinel } } });

        var noCredential = await run.InvokeAsync(new NoTerminal(), "accounts", "add", "medium:work");
        var badPair = await run.InvokeAsync(new NoTerminal(), "accounts", "add", "medium:work", "--credential", Sentinel);
        var unknownPlatform = await run.InvokeAsync(new NoTerminal(), "accounts", "add", "myspace:work", "--credential", "token=x");
        var badUrl = await run.InvokeAsync(new NoTerminal(), "accounts", "add", "mastodon:work", "--credential", "access_token=x", "--base-url", "http://example.com");
        var configuredName = await run.InvokeAsync(new NoTerminal(), "accounts", "add", "devto:default", "--credential", "api_key=x");
        var comma = await run.InvokeAsync(new NoTerminal(), "accounts", "add", "devto:a,b", "--credential", "api_key=x");
        var first = await run.InvokeAsync(new NoTerminal(), "accounts", "add", "medium:work", "--credential", $"access_token={Sentinel}");
        var twice = await run.InvokeAsync(new NoTerminal(), "accounts", "add", "medium:work", "--credential", "access_token=other");

        Refused(noCredential, "error: --credential: Medium needs 'access_token'; give --credential access_token=…, set HERALD_CREDENTIAL_ACCESS_TOKEN, or run in a terminal to be asked");
        Refused(badPair, "error: --credential: value 1 must be KEY=VALUE");
        Refused(unknownPlatform, "error: ACCOUNT: unknown platform 'myspace'; known platforms: ");
        Refused(badUrl, "error: --base-url: must be an absolute https URL (plain http only to a loopback address)");
        Refused(configuredName, "devto:default comes from configuration (Herald:Accounts:devto)");
        Refused(comma, "without a comma");
        Assert.Equal(0, first.ExitCode);
        Refused(twice, "Medium already has an account named 'work'");
        var listed = JsonDocument.Parse((await run.InvokeAsync("accounts", "list", "--json")).Output).RootElement.EnumerateArray()
            .Select(a => a.GetProperty("account").GetString()).ToList();
        Assert.Equal(["devto:default", "medium:work"], listed);
        NoSecretIn(noCredential, badPair, unknownPlatform, badUrl, configuredName, comma, first, twice);
    }

    [Fact]
    public async Task Remove_StoredAccount_GoneFromListAndTargets_ConfiguredAndUnknownRefused()
    {
        using var run = new CliRun(new Dictionary<string, object> { ["devto"] = new Dictionary<string, object> { ["Credentials"] = new Dictionary<string, string> { ["api_key"] = "k" } } });
        await run.InvokeAsync(new NoTerminal(), "accounts", "add", "medium:work", "--credential", "access_token=t");
        var scheduled = await run.InvokeAsync("post", CliRun.Example, "--to", "medium:work", "--at", "+2h");

        var waiting = await run.InvokeAsync("accounts", "remove", "medium:work");
        var removed = await run.InvokeAsync("accounts", "remove", "medium:work", "--cancel-pending");
        var again = await run.InvokeAsync("accounts", "remove", "medium:work");
        var configured = await run.InvokeAsync("accounts", "remove", "devto:default");
        var posted = await run.InvokeAsync("post", CliRun.Example, "--to", "medium:work");

        Assert.True(scheduled.ExitCode == 0, scheduled.Error);
        Refused(waiting, "error: ACCOUNT: medium:work: 1 publication(s) wait on this account; cancel them first, or add --cancel-pending");
        Assert.Equal(0, removed.ExitCode);
        Assert.Contains("✓ medium account medium:work removed; 1 waiting publication(s) cancelled.", removed.Output, StringComparison.Ordinal);
        Refused(again, "there is no Medium account named 'work'");
        Refused(configured, "devto:default comes from configuration (Herald:Accounts:devto); remove it there");
        Assert.Equal(2, posted.ExitCode);
        var (_, status, _) = await run.InvokeAsync("status", "--json");
        Assert.Equal("Cancelled", Assert.Single(JsonDocument.Parse(status).RootElement.EnumerateArray()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task ConfiguredAccount_KeepsWorking_ListedAndTested()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        using var run = new CliRun(CliRun.AccountsOn(sandbox, "devto", "bluesky"));

        var list = await run.InvokeAsync("accounts", "list", "--json");
        var test = await run.InvokeAsync("accounts", "test");
        var posted = await run.InvokeAsync("post", CliRun.Example, "--to", "devto");

        var accounts = JsonDocument.Parse(list.Output).RootElement.EnumerateArray().ToList();
        Assert.Equal(["devto:default", "bluesky:default"], accounts.Select(a => a.GetProperty("account").GetString()));
        Assert.All(accounts, a => Assert.Equal("configuration", a.GetProperty("source").GetString()));
        Assert.Equal(["app_password", "identifier"], accounts[1].GetProperty("credentialKeys").EnumerateArray().Select(k => k.GetString()));
        Assert.True(test.ExitCode == 0, test.Output + test.Error);
        Assert.Matches(@"✓ devto:default\s+works", test.Output);
        Assert.Matches(@"✓ bluesky:default\s+works", test.Output);
        Assert.True(posted.ExitCode == 0, posted.Error);
        Assert.Contains("devto     ✓ published", posted.Output, StringComparison.Ordinal);
        NoSecretIn(list, test, posted);
    }

    /// <summary>Refused input: exit 2, and the error line says why.</summary>
    private static void Refused((int ExitCode, string Output, string Error) result, string message)
    {
        Assert.True(result.ExitCode == 2, $"exit {result.ExitCode}\n{result.Output}\n{result.Error}");
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
    }

    /// <summary>None of the sandbox's secrets, nor the sentinel a test gave as a credential, in anything printed.</summary>
    private static void NoSecretIn(params (int ExitCode, string Output, string Error)[] results)
    {
        string[] secrets = [Sentinel, SandboxAccounts.DevToKey, SandboxAccounts.MastodonToken, SandboxAccounts.XAccessToken, SandboxAccounts.BlueskyAppPassword];
        foreach (var (_, output, error) in results)
        {
            foreach (var secret in secrets)
            {
                Assert.DoesNotContain(secret, output + error, StringComparison.Ordinal);
            }
        }
    }
}

/// <summary>Credentials from the environment: runs alone, because environment variables are the whole process's.</summary>
[Collection(nameof(ConsoleCapture))]
public sealed class AccountsEnvironmentTests
{
    [Fact]
    public async Task Add_CredentialFromEnvironment_NotAsked_NotPrinted()
    {
        var secret = $"sentinel-{RandomNumberGenerator.GetHexString(32, lowercase: true)}";
        using var run = new CliRun();
        var prompt = new ScriptedPrompt();
        Environment.SetEnvironmentVariable("HERALD_CREDENTIAL_ACCESS_TOKEN", secret);
        try
        {
            var (exitCode, output, error) = await run.InvokeAsync(prompt, "accounts", "add", "threads:brand", "--setting", "user_id=42");
            var (_, json, _) = await run.InvokeAsync("accounts", "list", "--json");

            Assert.True(exitCode == 0, error);
            Assert.Empty(prompt.SecretQuestions);
            var account = Assert.Single(JsonDocument.Parse(json).RootElement.EnumerateArray());
            Assert.Equal(["access_token"], account.GetProperty("credentialKeys").EnumerateArray().Select(k => k.GetString()));
            Assert.Equal("42", account.GetProperty("settings").GetProperty("user_id").GetString());
            Assert.DoesNotContain(secret, output + error + json, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("HERALD_CREDENTIAL_ACCESS_TOKEN", null);
        }
    }
}
