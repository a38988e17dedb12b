namespace Herald.Sandbox.Hosting;

/// <summary>
/// One simulated platform as the rest of the sandbox and the CLI see it: its id, where it listens, its fixed
/// account, and (inside the sandbox) how to create its state, map its endpoints and list its posts. Each platform
/// describes itself in its own folder; <see cref="SandboxPlatforms.All"/> lists them, so adding a platform adds a
/// folder and one line there.
/// </summary>
public abstract class SandboxPlatform
{
    // Only this assembly simulates platforms: a description without endpoints would be a platform that answers 404.
    private protected SandboxPlatform()
    {
    }

    /// <summary>Herald's platform id and the first path segment of every endpoint, such as <c>devto</c>.</summary>
    public abstract string Id { get; }

    /// <summary>The platform's name as people write it, such as <c>Dev.to</c>.</summary>
    public abstract string DisplayName { get; }

    /// <summary>
    /// The path, relative to the sandbox's address, that an account of this platform uses as its base URL, such
    /// as <c>devto/api</c>; it starts with <see cref="Id"/>.
    /// </summary>
    public abstract string BasePath { get; }

    /// <summary>The account the platform knows from the start, as Herald stores an account of it.</summary>
    public abstract SandboxAccount Account { get; }

    internal abstract object CreateState(SandboxState sandbox);

    /// <summary>Maps the platform's endpoints on the group <c>/{Id}</c>.</summary>
    internal abstract void Map(RouteGroupBuilder group);

    /// <summary>Every post the platform holds, oldest first, in the shape <c>/_sandbox/posts</c> answers with.</summary>
    internal abstract IEnumerable<SandboxPost> ListPosts(SandboxState sandbox);
}

/// <summary>A simulated platform whose data lives in one <typeparamref name="TState"/> per sandbox.</summary>
internal abstract class SandboxPlatform<TState> : SandboxPlatform
    where TState : class
{
    internal sealed override object CreateState(SandboxState sandbox) => Create(sandbox);

    internal sealed override IEnumerable<SandboxPost> ListPosts(SandboxState sandbox) => Posts(sandbox.Platform<TState>());

    protected abstract TState Create(SandboxState sandbox);

    protected abstract IEnumerable<SandboxPost> Posts(TState state);
}

/// <summary>
/// The account a simulated platform knows from the start. It is fixed, not tied to one process or port, so a worker
/// started later against another sandbox run still finds it; it opens nothing real.
/// </summary>
/// <param name="Credentials">The credentials Herald stores for it, by the adapter's names (<c>access_token</c> …).</param>
/// <param name="Settings">Account settings the adapter needs besides the credentials (<c>author_urn</c> …); often none.</param>
/// <param name="Note">More the platform accepts, for people trying it by hand (another way to sign in); null if nothing.</param>
public sealed record SandboxAccount(
    IReadOnlyDictionary<string, string> Credentials,
    IReadOnlyDictionary<string, string> Settings,
    string? Note = null)
{
    /// <summary>An account with credentials only.</summary>
    public SandboxAccount(IReadOnlyDictionary<string, string> credentials)
        : this(credentials, new Dictionary<string, string>())
    {
    }
}
