using Herald.Sandbox.Hosting;

namespace Herald.Sandbox.LinkedIn;

/// <summary>LinkedIn's Posts API in the sandbox, under <c>/linkedin</c>.</summary>
internal sealed class LinkedInSandboxPlatform : SandboxPlatform<LinkedInState>
{
    public override string Id => "linkedin";

    public override string DisplayName => "LinkedIn";

    public override string BasePath => "linkedin";

    public override SandboxAccount Account { get; } = new(
        new Dictionary<string, string> { ["access_token"] = SandboxAccounts.LinkedInToken },
        new Dictionary<string, string> { ["author_urn"] = SandboxAccounts.LinkedInAuthorUrn });

    internal override void Map(RouteGroupBuilder group) => group.MapLinkedIn();

    protected override LinkedInState Create(SandboxState sandbox) => new(sandbox);

    protected override IEnumerable<SandboxPost> Posts(LinkedInState state) =>
        state.Posts.Select(p => new SandboxPost(Id, p.Urn, p.Commentary, null, p.CreatedAt) { Images = [.. p.Images.Select(i => i.Shown)] });
}
