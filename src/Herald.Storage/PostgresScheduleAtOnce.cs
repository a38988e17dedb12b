using System.Data.Common;
using System.Text;
using Herald.Contents;
using Herald.Publications;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using static Herald.Storage.ModelSql;

namespace Herald.Storage;

/// <summary>
/// A new content and its publications stored in one round trip on PostgreSQL, the repost guard included: one command
/// of two statements that PostgreSQL runs as one implicit transaction (all or nothing, one commit).
/// </summary>
/// <remarks>
/// The first statement takes the repost guard's lock on each account (the general path takes the same ones), so that
/// a concurrent schedule of the same content on the same account waits for it. The second statement — with its own
/// snapshot, taken once the locks are held, so it sees what such a schedule committed — inserts the rows only when no
/// earlier publication of that content on those accounts is published or on its way, and says whether one was.
/// </remarks>
internal sealed class PostgresScheduleAtOnce(HeraldDbContext db)
{
    /// <summary>
    /// Stores <paramref name="content"/> and <paramref name="publications"/> (all of that content) unless
    /// <paramref name="guard"/> finds an earlier publication of the content on their accounts; returns whether it stored them.
    /// </summary>
    public async Task<bool> TryInsertAsync(Content content, IReadOnlyList<Publication> publications, bool guard, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            var sql = new StringBuilder();
            var accounts = publications.Select(p => p.AccountId.Value).Distinct().ToArray();
            var onlyIfNew = "";
            if (guard)
            {
                sql.Append(
                    "SELECT pg_advisory_xact_lock(k) FROM (SELECT DISTINCT hashtextextended('herald:repost:' || a, 0) AS k " +
                    $"FROM unnest({Parameter(command, accounts.Select(a => a.ToString()).ToArray())}::text[]) AS a ORDER BY 1) AS keys;\n");
                sql.Append($"WITH earlier AS ({Earlier(command, content, accounts)}),\n");
                onlyIfNew = " WHERE NOT EXISTS (SELECT FROM earlier)";
            }
            else
            {
                sql.Append("WITH ");
            }

            sql.Append($"new_content AS ({Insert(command, [content], ContentShadow)}{onlyIfNew}),\n");
            sql.Append($"new_publications AS ({Insert(command, publications, shadow: null)}{onlyIfNew})\n");
            sql.Append(guard ? "SELECT EXISTS (SELECT FROM earlier)" : "SELECT false");
            command.CommandText = sql.ToString();

            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (guard)
            {
                await reader.NextResultAsync(cancellationToken);
            }

            await reader.ReadAsync(cancellationToken);
            return !reader.GetBoolean(0);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>The repost guard's query: an earlier publication of the content on one of the accounts, published or on its way.</summary>
    private string Earlier(DbCommand command, Content content, Guid[] accounts)
    {
        var publication = db.Model.FindEntityType(typeof(Publication))!;
        var contentType = db.Model.FindEntityType(typeof(Content))!;
        var status = publication.FindProperty(nameof(Publication.Status))!;
        var over = new[] { PublicationStatus.Failed, PublicationStatus.Cancelled }
            .Select(s => status.GetTypeMapping().Converter?.ConvertToProvider(s) as string ?? s.ToString()).ToArray();
        // The contents with that fingerprint first (a handful), then their publications on the accounts by the
        // (content, account) index: an account with many publications is never scanned.
        return $"SELECT FROM {Table(publication)} p " +
               $"WHERE p.{Column(publication.FindProperty(nameof(Publication.ContentId))!)} = ANY (ARRAY(" +
               $"SELECT c.{Column(contentType.FindPrimaryKey()!.Properties[0])} FROM {Table(contentType)} c " +
               $"WHERE c.{Column(contentType.FindProperty(PublicationStore.FingerprintProperty)!)} = {Parameter(command, ContentFingerprint.Of(content))})) " +
               $"AND p.{Column(publication.FindProperty(nameof(Publication.AccountId))!)} = ANY({Parameter(command, accounts)}) " +
               $"AND p.{Column(status)} <> ALL({Parameter(command, over)}) LIMIT 1";
    }

    private static readonly Dictionary<string, Func<Content, object?>> ContentShadow =
        new() { [PublicationStore.FingerprintProperty] = ContentFingerprint.Of };

    /// <summary>An INSERT … SELECT of <paramref name="rows"/> as a VALUES list, every column the model maps, typed by it.</summary>
    private string Insert<T>(DbCommand command, IReadOnlyList<T> rows, IReadOnlyDictionary<string, Func<T, object?>>? shadow)
        where T : class
    {
        var type = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not part of the model.");
        var properties = type.GetProperties().ToList();
        var values = rows.Select(row => "(" + string.Join(", ", properties.Select(p => Parameter(command, p, Value(p, row, shadow)))) + ")");
        return $"INSERT INTO {Table(type)} ({string.Join(", ", properties.Select(Column))}) " +
               $"SELECT * FROM (VALUES {string.Join(", ", values)}) AS v";
    }

    private static object? Value<T>(IProperty property, T row, IReadOnlyDictionary<string, Func<T, object?>>? shadow)
        where T : class
    {
        if (property.ValueGenerated != ValueGenerated.Never)
        {
            throw new InvalidOperationException($"{typeof(T).Name}.{property.Name} is generated ({property.ValueGenerated}); store it with tracked inserts.");
        }

        return property.IsShadowProperty()
            ? shadow is not null && shadow.TryGetValue(property.Name, out var value)
                ? value(row)
                : throw new InvalidOperationException($"No value given for the shadow property {typeof(T).Name}.{property.Name}.")
            : property.GetGetter().GetClrValue(row);
    }
}
