using Herald.Sandbox.Hosting;

namespace Herald.Sandbox.Mastodon;

/// <summary>A Mastodon instance's REST API in the sandbox, under <c>/mastodon</c>.</summary>
internal sealed class MastodonSandboxPlatform : SandboxPlatform<MastodonState>
{
    public override string Id => "mastodon";

    public override string DisplayName => "Mastodon";

    public override string BasePath => "mastodon";

    public override SandboxAccount Account { get; } = new(new Dictionary<string, string> { ["access_token"] = SandboxAccounts.MastodonToken });

    internal override void Map(RouteGroupBuilder group) => group.MapMastodon();

    protected override MastodonState Create(SandboxState sandbox) => new(sandbox);

    protected override IEnumerable<SandboxPost> Posts(MastodonState state) =>
        state.Statuses.Select(s => new SandboxPost(Id, s.Id, s.Text, s.InReplyToId, s.CreatedAt) { Images = [.. s.Media.Select(m => m.Image)] });
}
