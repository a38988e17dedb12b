using Microsoft.AspNetCore.Identity;

namespace Herald.Server.Dashboard;

/// <summary>The dashboard's sign-in: Identity's application cookie, and the policy every dashboard page requires.</summary>
public static class DashboardAuth
{
    /// <summary>The policy of every dashboard page: a signed-in dashboard user (the cookie, not an API key).</summary>
    public const string Policy = "dashboard";

    /// <summary>The cookie's authentication scheme.</summary>
    public static readonly string Scheme = IdentityConstants.ApplicationScheme;

    /// <summary>The cookie's name.</summary>
    public const string CookieName = "herald.dashboard";

    /// <summary>Where a signed-out visitor is sent.</summary>
    public const string LoginPath = "/login";

    /// <summary>A return address that stays on this site (a path, not another host), or the overview.</summary>
    public static string LocalOrHome(string? returnUrl) =>
        returnUrl is { Length: > 0 } url && url[0] == '/' && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal)
            ? url
            : "/";
}
