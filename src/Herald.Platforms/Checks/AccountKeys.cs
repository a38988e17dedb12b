using Herald.Platforms.Bluesky;
using Herald.Platforms.DevTo;
using Herald.Platforms.LinkedIn;
using Herald.Platforms.Mastodon;
using Herald.Platforms.Medium;
using Herald.Platforms.Threads;
using Herald.Platforms.X;

namespace Herald.Platforms.Checks;

/// <summary>
/// The credentials an account of each platform needs in its simplest form: what <c>herald accounts add</c> asks for
/// when they are not given. Other forms (X's OAuth 1.0a keys, a refresh token) are given by name.
/// </summary>
public static class AccountKeys
{
    public static IReadOnlyList<string> Credentials(string platform) => platform switch
    {
        "devto" => [DevToAdapter.ApiKeyCredential],
        "linkedin" => [LinkedInAdapter.AccessTokenCredential],
        "x" => [XAuthorization.AccessToken],
        "medium" => [MediumAdapter.AccessTokenCredential],
        "mastodon" => [MastodonAdapter.AccessTokenCredential],
        "bluesky" => [BlueskySessions.IdentifierCredential, BlueskySessions.AppPasswordCredential],
        "threads" => [ThreadsAdapter.AccessTokenCredential],
        _ => [],
    };
}
