using Herald.Sandbox.Hosting;

namespace Herald.Sandbox.Threads;

/// <summary>The Threads Graph API in the sandbox, under <c>/threads/v1.0</c>.</summary>
internal sealed class ThreadsSandboxPlatform : SandboxPlatform<ThreadsState>
{
    public override string Id => "threads";

    public override string DisplayName => "Threads";

    public override string BasePath => "threads/v1.0";

    public override SandboxAccount Account { get; } = new(
        new Dictionary<string, string> { ["access_token"] = SandboxAccounts.ThreadsToken },
        new Dictionary<string, string> { ["user_id"] = SandboxAccounts.ThreadsUserId });

    internal override void Map(RouteGroupBuilder group) => group.MapThreads();

    protected override ThreadsState Create(SandboxState sandbox) => new(sandbox);

    protected override IEnumerable<SandboxPost> Posts(ThreadsState state) =>
        state.Posts.Select(p => new SandboxPost(Id, p.Id, p.Text, p.ReplyToId, p.Timestamp)
        {
            Images = [.. p.Images.Select(i => new SandboxImage(i.AltText, i.MediaType, i.Bytes.LongLength, i.Width, i.Height, $"/threads/media/{i.ContainerId}"))],
        });
}
