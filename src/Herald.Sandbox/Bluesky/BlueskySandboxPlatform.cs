using System.Text.Json;
using Herald.Sandbox.Hosting;

namespace Herald.Sandbox.Bluesky;

/// <summary>A Bluesky PDS (AT Protocol XRPC) in the sandbox, under <c>/bluesky</c>.</summary>
internal sealed class BlueskySandboxPlatform : SandboxPlatform<BlueskyState>
{
    public override string Id => "bluesky";

    public override string DisplayName => "Bluesky";

    public override string BasePath => "bluesky";

    public override SandboxAccount Account { get; } = new(new Dictionary<string, string>
    {
        ["identifier"] = SandboxAccounts.BlueskyHandle,
        ["app_password"] = SandboxAccounts.BlueskyAppPassword,
    });

    internal override void Map(RouteGroupBuilder group) => group.MapBluesky();

    protected override BlueskyState Create(SandboxState sandbox) => new(sandbox);

    protected override IEnumerable<SandboxPost> Posts(BlueskyState state) =>
        state.Records.Select(r => new SandboxPost(Id, r.Uri, r.Text, ParentOf(r.Json), r.IndexedAt) { Images = state.Blobs.Images(r.Did, r.Json) });

    /// <summary>A Bluesky reply names its parent in <c>reply.parent.uri</c> of the record as sent.</summary>
    private static string? ParentOf(string recordJson)
    {
        using var document = JsonDocument.Parse(recordJson);
        return document.RootElement.TryGetProperty("reply", out var reply) &&
            reply.TryGetProperty("parent", out var parent) &&
            parent.TryGetProperty("uri", out var uri)
            ? uri.GetString()
            : null;
    }
}
