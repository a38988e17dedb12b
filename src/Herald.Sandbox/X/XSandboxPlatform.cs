using Herald.Sandbox.Hosting;

namespace Herald.Sandbox.X;

/// <summary>X API v2 (and its OAuth endpoints) in the sandbox, under <c>/x</c>.</summary>
internal sealed class XSandboxPlatform : SandboxPlatform<XState>
{
    public override string Id => "x";

    public override string DisplayName => "X";

    public override string BasePath => "x";

    public override SandboxAccount Account { get; } = new(
        new Dictionary<string, string> { ["access_token"] = SandboxAccounts.XAccessToken },
        new Dictionary<string, string>(),
        $"OAuth 1.0a: consumer_key {SandboxAccounts.XConsumerKey}, oauth_token {SandboxAccounts.XOAuth1Token}");

    internal override void Map(RouteGroupBuilder group) => group.MapX();

    protected override XState Create(SandboxState sandbox) => new(sandbox);

    protected override IEnumerable<SandboxPost> Posts(XState state) =>
        state.Posts.Select(p => new SandboxPost(Id, p.Id, p.Text, p.InReplyToId, p.CreatedAt) { Images = [.. p.Media.Select(m => m.Image)] });
}
