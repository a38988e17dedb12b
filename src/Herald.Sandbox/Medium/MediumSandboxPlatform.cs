using Herald.Sandbox.Hosting;

namespace Herald.Sandbox.Medium;

/// <summary>Medium's API v1 in the sandbox, under <c>/medium/v1</c>.</summary>
internal sealed class MediumSandboxPlatform : SandboxPlatform<MediumState>
{
    public override string Id => "medium";

    public override string DisplayName => "Medium";

    public override string BasePath => "medium/v1";

    public override SandboxAccount Account { get; } = new(new Dictionary<string, string> { ["access_token"] = SandboxAccounts.MediumToken });

    internal override void Map(RouteGroupBuilder group) => group.MapMedium();

    protected override MediumState Create(SandboxState sandbox) => new(sandbox);

    protected override IEnumerable<SandboxPost> Posts(MediumState state) =>
        state.Posts.Select(p => new SandboxPost(Id, p.Id, p.Title + "\n" + p.Content, null, p.CreatedAt) { Images = [.. p.Images.Select(i => i.Image)] });
}
