namespace Herald.Sandbox.DevTo;

/// <summary>The Dev.to (Forem API v1) endpoints, per PLATFORMS.md §1.</summary>
internal static class DevToEndpoints
{
    public static RouteGroupBuilder MapDevTo(this RouteGroupBuilder group) => group;
}
