using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Herald.Platforms.Http;

namespace Herald.Platforms.Mastodon;

/// <summary>How long a status may be on one instance.</summary>
/// <param name="MaxCharacters"><c>configuration.statuses.max_characters</c>.</param>
/// <param name="CharactersReservedPerUrl"><c>configuration.statuses.characters_reserved_per_url</c>.</param>
internal sealed record MastodonLimits(int MaxCharacters, int CharactersReservedPerUrl)
{
    /// <summary>Upstream Mastodon's defaults (docs/platforms.md, Mastodon, "Character counting"): 500 and 23.</summary>
    public static MastodonLimits Default { get; } = new(500, 23);
}

/// <summary>
/// Each instance's limits, read from <c>GET /api/v2/instance</c> and kept for a while: instances differ
/// (docs/platforms.md, Mastodon: "always read /api/v2/instance"). Rendering and validation are synchronous, so they
/// take what is known (upstream defaults until the instance was read); publishing reads it first.
/// </summary>
internal sealed class MastodonInstanceLimits(TimeProvider timeProvider, TimeSpan lifetime)
{
    private readonly ConcurrentDictionary<string, (MastodonLimits Limits, DateTimeOffset ReadAt)> _byInstance =
        new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The limits last read from the instance, else the upstream defaults.</summary>
    public MastodonLimits Known(Uri instance) =>
        _byInstance.TryGetValue(Key(instance), out var entry) ? entry.Limits : MastodonLimits.Default;

    /// <summary>
    /// The instance's limits, read again when unknown or older than the lifetime. When the instance cannot
    /// be read (an old server without <c>/api/v2/instance</c>, a network error), the last known limits
    /// stand, else the defaults: the create that follows will say whether the text fits.
    /// </summary>
    public async Task<MastodonLimits> GetAsync(HttpClient client, Uri instance, string accessToken, CancellationToken cancellationToken)
    {
        var key = Key(instance);
        if (_byInstance.TryGetValue(key, out var entry) && timeProvider.GetUtcNow() - entry.ReadAt < lifetime)
        {
            return entry.Limits;
        }

        using var message = new HttpRequestMessage(HttpMethod.Get, PlatformHttp.Combine(instance, "api/v2/instance"));
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var answer = await PlatformHttp.SendAsync(client, message, "Mastodon", cancellationToken);
        if (answer.Failure is not null || !answer.IsSuccess ||
            PlatformHttp.TryDeserialize<MastodonInstance>(answer.Body)?.Configuration?.Statuses is not { } statuses)
        {
            return Known(instance);
        }

        // A fork without these fields (Pleroma/Akkoma say max_toot_chars, docs/platforms.md, Mastodon, UNCONFIRMED) gets
        // the upstream defaults: the cautious reading, since 500 is the smallest limit commonly seen.
        var limits = new MastodonLimits(
            statuses.MaxCharacters is int max and > 0 ? max : MastodonLimits.Default.MaxCharacters,
            statuses.CharactersReservedPerUrl is int reserved and >= 0 ? reserved : MastodonLimits.Default.CharactersReservedPerUrl);
        _byInstance[key] = (limits, timeProvider.GetUtcNow());
        return limits;
    }

    private static string Key(Uri instance) => instance.AbsoluteUri.TrimEnd('/');
}
