using System.Data.Common;
using System.Text;
using Herald.Accounts;
using Herald.Contents;
using Herald.Publications;
using Herald.Storage.Queue;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using static Herald.Storage.ModelSql;

namespace Herald.Storage;

/// <summary>
/// A new content and its publications stored in one round trip on PostgreSQL, the repost guard included: one command
/// of three statements that PostgreSQL runs as one implicit transaction (all or nothing, one commit).
/// </summary>
/// <remarks>
/// The first statements take the repost guard's locks: each account's, shared (the general path takes it alone), then
/// the content's on each account, alone — so that a concurrent schedule of the same content on the same account waits
/// for this one, while other contents for the account do not. The last statement — with its own
/// snapshot, taken once the locks are held, so it sees what such a schedule committed — inserts the rows only when no
/// earlier publication of that content on those accounts is published or on its way, and says whether one was.
/// </remarks>
internal sealed class PostgresScheduleAtOnce(HeraldDbContext db)
{
    /// <summary>
    /// Stores <paramref name="content"/> and <paramref name="publications"/> (all of that content, on
    /// <paramref name="accounts"/>, known as stored) unless <paramref name="guard"/> finds an earlier publication of the
    /// content on those accounts, or an account row is no longer as known (removed, renamed, its settings or base
    /// address changed, by another process); returns whether it stored them.
    /// </summary>
    public async Task<bool> TryInsertAsync(
        Content content, IReadOnlyList<Publication> publications, IReadOnlyList<Account> accounts, bool guard, CancellationToken cancellationToken)
    {
        if (!Writable<Content>() || !Writable<Publication>())
        {
            return false;
        }

        // The dispatchers' wake-up rides in the same statement (PostgreSQL delivers a NOTIFY at commit, and not at all
        // when the statement stored nothing) instead of costing a round trip of its own afterwards.
        var dueAt = publications.Min(p => p.NextAttemptAt ?? p.ScheduledAt);
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            var sql = new StringBuilder();
            var ids = accounts.Select(a => a.Id.Value).Distinct().ToArray();
            if (guard)
            {
                // Each account's guard lock shared (the general path takes it alone: it may look at any content of the
                // account), then a lock of this content on each account alone: calls posting different contents to
                // one account do not wait for each other's commit; the same content waits, and then sees the first.
                var fingerprint = ContentFingerprint.Of(content);
                sql.Append(
                    "SELECT pg_advisory_xact_lock_shared(k) FROM (SELECT DISTINCT hashtextextended('herald:repost:' || a, 0) AS k " +
                    $"FROM unnest({Parameter(command, ids.Select(a => a.ToString()).ToArray())}::text[]) AS a ORDER BY 1) AS keys;\n");
                sql.Append(
                    "SELECT pg_advisory_xact_lock(k) FROM (SELECT DISTINCT hashtextextended('herald:repost:' || a, 0) AS k " +
                    $"FROM unnest({Parameter(command, ids.Select(a => $"{a}:{fingerprint}").ToArray())}::text[]) AS a ORDER BY 1) AS keys;\n");
            }

            sql.Append($"WITH earlier AS ({(guard ? Earlier(command, content, ids) : "SELECT WHERE false")}),\n");
            sql.Append($"unchanged AS ({Unchanged(command, accounts)}),\n");
            const string OnlyIf = " WHERE NOT EXISTS (SELECT FROM earlier) AND (SELECT n FROM unchanged) = ";
            var onlyIf = OnlyIf + Parameter(command, accounts.Count);
            sql.Append($"new_content AS ({Insert(command, [content], ContentShadow)}{onlyIf} RETURNING 1),\n");
            sql.Append($"new_publications AS ({Insert(command, publications, shadow: null)}{onlyIf} RETURNING 1),\n");
            sql.Append($"notified AS (SELECT pg_notify({Parameter(command, PostgresDueChannel.Channel)}, {Parameter(command, PostgresDueChannel.Payload(dueAt))}){onlyIf})\n");
            // Reading the inserts' counts makes every part run before the answer (a plain WITH query runs only when read).
            sql.Append("SELECT (SELECT count(*) FROM new_publications), (SELECT count(*) FROM new_content), (SELECT count(*) FROM notified)");
            command.CommandText = sql.ToString();

            long stored;
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                if (guard)
                {
                    // Past the two locks' results.
                    await reader.NextResultAsync(cancellationToken);
                    await reader.NextResultAsync(cancellationToken);
                }

                await reader.ReadAsync(cancellationToken);
                stored = reader.GetInt64(0);
                // The foreign keys are checked as the statement ends, after its row: read to the end so that a refusal
                // surfaces here (and rolls everything back) rather than being taken for success.
                while (await reader.NextResultAsync(cancellationToken))
                {
                }
            }

            return stored == publications.Count;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// How many of the accounts are still stored exactly as known: same id, platform, display name, settings and base
    /// address (a soft removal adds a setting; a rename changes the name).
    /// </summary>
    private string Unchanged(DbCommand command, IReadOnlyList<Account> accounts)
    {
        var type = db.Model.FindEntityType(typeof(Account))!;
        // The id compared with `=` (it is the key, never null) so that each account is a primary-key probe.
        string Is(string property, Account account) =>
            $"a.{Column(type.FindProperty(property)!)} {(property == nameof(Account.Id) ? "=" : "IS NOT DISTINCT FROM")} {Parameter(command, type.FindProperty(property)!, property switch
            {
                nameof(Account.Id) => account.Id,
                nameof(Account.Platform) => account.Platform,
                nameof(Account.DisplayName) => account.DisplayName,
                nameof(Account.Settings) => account.Settings,
                _ => account.BaseUrl,
            })}";
        var each = accounts.Select(a =>
            "(" + string.Join(" AND ", new[] { nameof(Account.Id), nameof(Account.Platform), nameof(Account.DisplayName), nameof(Account.Settings), nameof(Account.BaseUrl) }
                .Select(p => Is(p, a))) + ")");
        return $"SELECT count(*) AS n FROM {Table(type)} a WHERE {string.Join(" OR ", each)}";
    }

    /// <summary>Whether every property of <typeparamref name="T"/> is one this class writes (none generated by the database).</summary>
    private bool Writable<T>() => db.Model.FindEntityType(typeof(T))!.GetProperties().All(p => p.ValueGenerated == ValueGenerated.Never);

    /// <summary>The repost guard's query: an earlier publication of the content on one of the accounts, published or on its way.</summary>
    internal string Earlier(DbCommand command, Content content, Guid[] accounts)
    {
        var publication = db.Model.FindEntityType(typeof(Publication))!;
        var contentType = db.Model.FindEntityType(typeof(Content))!;
        var status = publication.FindProperty(nameof(Publication.Status))!;
        var over = new[] { PublicationStatus.Failed, PublicationStatus.Cancelled }
            .Select(s => status.GetTypeMapping().Converter?.ConvertToProvider(s) as string ?? s.ToString()).ToArray();
        // The contents with that fingerprint first (a handful), then, for each, its publications on the accounts by the
        // (content, account) index. Written as a lateral lookup per content rather than `content_id = ANY (ARRAY(…))`:
        // the statement is prepared, and PostgreSQL's generic plan for the array form, made while the table is small or
        // freshly emptied, scans every publication on every call — the lateral one can only be an index probe or a scan
        // per content, and the probe is the cheaper at any size.
        return $"SELECT FROM {Table(contentType)} c CROSS JOIN LATERAL (" +
               $"SELECT FROM {Table(publication)} p " +
               $"WHERE p.{Column(publication.FindProperty(nameof(Publication.ContentId))!)} = c.{Column(contentType.FindPrimaryKey()!.Properties[0])} " +
               $"AND p.{Column(publication.FindProperty(nameof(Publication.AccountId))!)} = ANY({Parameter(command, accounts)}) " +
               $"AND p.{Column(status)} <> ALL({Parameter(command, over)}) LIMIT 1) AS found " +
               $"WHERE c.{Column(contentType.FindProperty(PublicationStore.FingerprintProperty)!)} = {Parameter(command, ContentFingerprint.Of(content))} LIMIT 1";
    }

    private static readonly Dictionary<string, Func<Content, object?>> ContentShadow =
        new() { [PublicationStore.FingerprintProperty] = ContentFingerprint.Of };

    /// <summary>An INSERT … SELECT of <paramref name="rows"/> as a VALUES list, every column the model maps, typed by it.</summary>
    private string Insert<T>(DbCommand command, IReadOnlyList<T> rows, IReadOnlyDictionary<string, Func<T, object?>>? shadow)
        where T : class
    {
        var type = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not part of the model.");
        var properties = type.GetProperties().ToList();
        // Every property is written (TryInsertAsync checked that none is generated by the database).
        var getters = properties.Select(p => (Property: p, Read: Getter(p, shadow))).ToList();
        var values = rows.Select(row => "(" + string.Join(", ", getters.Select(g => Parameter(command, g.Property, g.Read(row)))) + ")");
        return $"INSERT INTO {Table(type)} ({string.Join(", ", properties.Select(Column))}) " +
               $"SELECT * FROM (VALUES {string.Join(", ", values)}) AS v";
    }
}
