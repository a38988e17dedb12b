using System.Globalization;
using Herald.Sandbox.Hosting;

namespace Herald.Sandbox.DevTo;

/// <summary>Dev.to (Forem API v1) in the sandbox, under <c>/devto/api</c>.</summary>
internal sealed class DevToSandboxPlatform : SandboxPlatform<DevToState>
{
    public override string Id => "devto";

    public override string DisplayName => "Dev.to";

    public override string BasePath => "devto/api";

    public override SandboxAccount Account { get; } = new(new Dictionary<string, string> { ["api_key"] = SandboxAccounts.DevToKey });

    internal override void Map(RouteGroupBuilder group) => group.MapDevTo();

    protected override DevToState Create(SandboxState sandbox) => new(sandbox);

    protected override IEnumerable<SandboxPost> Posts(DevToState state) =>
        state.Articles.Select(a => new SandboxPost(Id, a.Id.ToString(CultureInfo.InvariantCulture), a.Title + "\n" + a.BodyMarkdown, null, a.CreatedAt)
        {
            Images = DevToMarkdownImages.Of(a),
        });
}
