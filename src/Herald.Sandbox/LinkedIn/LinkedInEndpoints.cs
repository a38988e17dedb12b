namespace Herald.Sandbox.LinkedIn;

/// <summary>The LinkedIn Posts API endpoints, per PLATFORMS.md §2.</summary>
internal static class LinkedInEndpoints
{
    public static RouteGroupBuilder MapLinkedIn(this RouteGroupBuilder group) => group;
}
