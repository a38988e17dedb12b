using System.Globalization;
using Herald.Cli.Configuration;
using Herald.Publications;
using Herald.Storage;
using Microsoft.EntityFrameworkCore;

namespace Herald.Cli.Commands;

/// <summary>Which publications <c>herald status</c> lists; every part optional.</summary>
internal sealed record PublicationFilter(
    IReadOnlySet<PublicationStatus> Statuses,
    IReadOnlySet<string> Platforms,
    DateTimeOffset? Since,
    DateTimeOffset? Until,
    int Limit)
{
    /// <summary>Only publications of these accounts (none: every account).</summary>
    public IReadOnlySet<AccountId> Accounts { get; init; } = new HashSet<AccountId>();
}

/// <summary>
/// Finds publications by the ids people type. Publication ids are UUID version 7: their first twelve hex digits are a
/// timestamp, so ids made in the same second share a long prefix and "the first six characters" tell nothing
/// apart. A publication's <b>short id</b> is therefore taken from the id's last group — twelve random hex digits — as
/// git abbreviates hashes: its first <see cref="ShortIdLength"/> characters, lengthened where another publication
/// shares them. Any unambiguous beginning of the short id (4+ characters) or of the full id (6+) finds it.
/// </summary>
internal sealed class PublicationLookup(HeraldDbContext db, IPublicationStore store)
{
    /// <summary>How long a short id is unless another publication shares its beginning.</summary>
    public const int ShortIdLength = 7;

    private const int MinimumShortId = 4;
    private const int MinimumFullPrefix = 6;

    /// <summary>Where the random last group starts in the id's dashed text (1-based, for SQL's substr).</summary>
    private const int RandomPartStart = 25;

    private const int RandomPartLength = 12;

    /// <summary>The id's last twelve hex digits: the random part the short id is cut from.</summary>
    public static string RandomPart(PublicationId id) => id.Value.ToString("N")[^RandomPartLength..];

    /// <summary>The display name of each account of <paramref name="publications"/> (an account since removed has none).</summary>
    public async Task<IReadOnlyDictionary<AccountId, string>> AccountNamesAsync(
        IReadOnlyList<Publication> publications, CancellationToken cancellationToken = default)
    {
        var ids = publications.Select(p => p.AccountId).Distinct().ToList();
        return await db.Accounts.AsNoTracking().Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.DisplayName, cancellationToken);
    }

    /// <summary>
    /// The short id of each of <paramref name="publications"/>: <see cref="ShortIdLength"/> characters of its random
    /// part, or as many more as it takes to differ from every other publication in the database.
    /// </summary>
    public async Task<IReadOnlyDictionary<PublicationId, string>> ShortIdsAsync(
        IReadOnlyCollection<Publication> publications, CancellationToken cancellationToken = default)
    {
        var result = new Dictionary<PublicationId, string>();
        if (publications.Count == 0)
        {
            return result;
        }

        // One query for every publication that shares a shown one's first characters; usually just the shown ones.
        var heads = publications.Select(p => RandomPart(p.Id)[..ShortIdLength]).Distinct().ToList();
        var placeholders = string.Join(", ", heads.Select((_, i) => $"{{{i}}}"));
        var sql = $"SELECT * FROM publications WHERE substr({IdText}, {RandomPartStart}, {ShortIdLength}) IN ({placeholders})";
        var sharing = await db.Publications
            .FromSqlRaw(sql, [.. heads])
            .AsNoTracking()
            .Select(p => p.Id)
            .ToListAsync(cancellationToken);
        var parts = sharing.Select(RandomPart).ToList();
        foreach (var publication in publications)
        {
            var own = RandomPart(publication.Id);
            var common = parts.Where(other => other != own).Select(other => CommonPrefix(own, other)).DefaultIfEmpty(0).Max();
            result[publication.Id] = own[..Math.Min(RandomPartLength, Math.Max(ShortIdLength, common + 1))];
        }

        return result;
    }

    /// <summary>The short id of one publication.</summary>
    public async Task<string> ShortIdAsync(Publication publication, CancellationToken cancellationToken = default) =>
        (await ShortIdsAsync([publication], cancellationToken))[publication.Id];

    /// <summary>
    /// The one publication <paramref name="text"/> names: a full id, the beginning of one (6+ hex digits), or the
    /// beginning of a short id (4+). None, or several, is refused naming the candidates.
    /// </summary>
    public async Task<Publication> ResolveAsync(string text, CancellationToken cancellationToken = default)
    {
        var wanted = text.Trim().Replace("-", "", StringComparison.Ordinal).ToLowerInvariant();
        if (wanted.Length is < MinimumShortId or > 32 || !wanted.All(Uri.IsHexDigit))
        {
            throw new CliInputException(
                $"id: must be a short id as `herald status` shows it (at least {MinimumShortId} hex characters) or a full publication id, not '{text}'");
        }

        var matches = new Dictionary<PublicationId, Publication>();
        if (wanted.Length >= MinimumFullPrefix)
        {
            foreach (var p in await store.FindByIdPrefixAsync(wanted, 10, cancellationToken))
            {
                matches[p.Id] = p;
            }
        }

        if (wanted.Length <= RandomPartLength)
        {
            var sql = $"SELECT * FROM publications WHERE substr({IdText}, {RandomPartStart}) LIKE {{0}}";
            var byShortId = await db.Publications
                .FromSqlRaw(sql, wanted + "%")
                .AsNoTracking()
                .Take(10)
                .ToListAsync(cancellationToken);
            foreach (var p in byShortId)
            {
                matches[p.Id] = p;
            }
        }

        switch (matches.Count)
        {
            case 0:
                throw new CliInputException($"id: no publication has the id or short id '{wanted}'; `herald status` lists them");
            case 1:
                return matches.Values.Single();
        }

        var candidates = matches.Values.OrderByDescending(p => p.CreatedAt).ToList();
        var shortIds = await ShortIdsAsync(candidates, cancellationToken);
        var list = string.Join("; ", candidates.Select(p =>
            $"{shortIds[p.Id]} ({p.Platform}, {p.Status}, created {p.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC)"));
        throw new CliInputException($"id: '{wanted}' matches {(candidates.Count >= 10 ? "10 or more" : candidates.Count.ToString(CultureInfo.InvariantCulture))} publications, give more characters: {list}");
    }

    /// <summary>The newest publications that pass <paramref name="filter"/>, newest first.</summary>
    public async Task<IReadOnlyList<Publication>> ListAsync(PublicationFilter filter, CancellationToken cancellationToken = default)
    {
        var query = db.Publications.AsNoTracking();
        if (filter.Statuses.Count > 0)
        {
            var statuses = filter.Statuses.ToList();
            query = query.Where(p => statuses.Contains(p.Status));
        }

        if (filter.Platforms.Count > 0)
        {
            var platforms = filter.Platforms.ToList();
            query = query.Where(p => platforms.Contains(p.Platform));
        }

        if (filter.Accounts.Count > 0)
        {
            var accounts = filter.Accounts.ToList();
            query = query.Where(p => accounts.Contains(p.AccountId));
        }

        if (filter.Since is { } since)
        {
            query = query.Where(p => p.ScheduledAt >= since);
        }

        if (filter.Until is { } until)
        {
            query = query.Where(p => p.ScheduledAt <= until);
        }

        return await query.OrderByDescending(p => p.CreatedAt).Take(filter.Limit).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// The stored accounts <paramref name="text"/> names, comma-separated, each by display name or as
    /// <c>platform:name</c> (as <c>--to</c> takes them); a name no stored account has, or one several platforms share
    /// without its platform, is refused naming the field.
    /// </summary>
    public async Task<HashSet<AccountId>> ResolveAccountsAsync(string? text, string field, CancellationToken cancellationToken = default)
    {
        var result = new HashSet<AccountId>();
        var names = (text ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (names.Length == 0)
        {
            return result;
        }

        var stored = await db.Accounts.AsNoTracking().Select(a => new { a.Id, a.Platform, a.DisplayName }).ToListAsync(cancellationToken);
        foreach (var name in names)
        {
            var colon = name.IndexOf(':', StringComparison.Ordinal);
            var matches = colon > 0
                ? stored.Where(a => a.Platform.Equals(name[..colon], StringComparison.OrdinalIgnoreCase) && a.DisplayName == name[(colon + 1)..]).ToList()
                : stored.Where(a => a.DisplayName == name).ToList();
            switch (matches.Count)
            {
                case 0:
                    throw new CliInputException($"{field}: no stored account is named '{name}'; `herald accounts list` shows them (give platform:name for one platform's)");
                case > 1:
                    throw new CliInputException(
                        $"{field}: '{name}' names accounts on several platforms ({string.Join(", ", matches.Select(m => m.Platform))}); give platform:name, e.g. {matches[0].Platform}:{name}");
                default:
                    result.Add(matches[0].Id);
                    break;
            }
        }

        return result;
    }

    /// <summary>The id as lower-case dashed text: SQLite stores it as upper-case text, PostgreSQL as a uuid.</summary>
    private string IdText => db.Database.ProviderName?.Contains("Npgsql", StringComparison.Ordinal) == true ? "id::text" : "lower(id)";

    private static int CommonPrefix(string a, string b)
    {
        var n = 0;
        while (n < a.Length && n < b.Length && a[n] == b[n])
        {
            n++;
        }

        return n;
    }
}
