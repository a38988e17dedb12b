using Herald.Platforms;
using Herald.Server.Posts;
using Herald.Storage.Accounts;

namespace Herald.Server.Dashboard.Compose;

/// <summary>An account the Compose page offers: its id, platform and name only (never its credentials).</summary>
public sealed record ComposeAccount(string Id, string Platform, string PlatformName, string Name)
{
    /// <summary>"X · sandbox".</summary>
    public string Label => $"{PlatformName} · {Name}";
}

/// <summary>The live preview: the problems that stop it, else each chosen account's preview (payload, parts, refusals).</summary>
public sealed record ComposePreview(IReadOnlyList<ComposeProblem> Problems, IReadOnlyList<TargetPreview> Targets);

/// <summary>What submitting did: the problems that refused it (nothing stored), or the stored content's id.</summary>
public sealed record ComposeResult(IReadOnlyList<ComposeProblem> Problems, string? ContentId);

/// <summary>
/// The Compose page's server logic. It turns the form into the API's <see cref="PostRequest"/> and goes through
/// <see cref="PostService"/>, as <c>POST /api/v1/previews</c> and <c>POST /api/v1/posts</c> do: the same rules, the
/// same rendering, the same scheduling. What it adds is only the form's side: problems placed at their inputs.
/// </summary>
public sealed class ComposeService(PostService posts, AccountDirectory directory, PlatformRegistry registry)
{
    /// <summary>The accounts that can be chosen, by platform then name.</summary>
    public async Task<IReadOnlyList<ComposeAccount>> AccountsAsync(CancellationToken cancellationToken) =>
        [.. (await directory.ListAsync(cancellationToken)).Select(a => new ComposeAccount(
            a.Id.ToString(), a.Platform, registry.TryResolve(a.Platform, out var adapter) ? adapter.Platform.DisplayName : a.Platform, a.DisplayName))];

    public async Task<ComposePreview> PreviewAsync(ComposeForm form, IReadOnlyList<ComposeAccount> accounts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        var result = await posts.PreviewAsync(form.ToRequest(), cancellationToken);
        return new ComposePreview(Place(result.Problems, form, accounts), result.Preview?.Targets ?? []);
    }

    /// <summary>Stores the content and schedules it to every chosen account, or refuses it whole with every problem (storing nothing).</summary>
    public async Task<ComposeResult> SubmitAsync(ComposeForm form, IReadOnlyList<ComposeAccount> accounts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        var request = form.ToRequest();
        var missingTime = form.IsLater && string.IsNullOrWhiteSpace(form.At);
        if (missingTime)
        {
            // Every other problem is still found, by a dry run, which stores nothing.
            request = request with { DryRun = true };
        }

        var result = await posts.PostAsync(request, "dashboard", cancellationToken);
        var problems = Place(result.Problems, form, accounts).ToList();
        if (missingTime)
        {
            problems.Insert(0, new ComposeProblem(ComposeForm.Names.At, "Date and time: give the date and time to publish at, or choose now"));
        }

        return problems.Count > 0 || result.Content is null
            ? new ComposeResult(problems, null)
            : new ComposeResult([], result.Content.Id.ToString());
    }

    private static IReadOnlyList<ComposeProblem> Place(
        IReadOnlyList<(string Field, string Message)> problems, ComposeForm form, IReadOnlyList<ComposeAccount> accounts)
    {
        var names = form.Accounts.Select(id => accounts.FirstOrDefault(a => a.Id == id)?.Label ?? id).ToList();
        return [.. problems.Select(p => ComposeProblem.From(p.Field, p.Message, names))];
    }
}
