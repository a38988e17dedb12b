using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text;
using Herald.Publications;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.DependencyInjection;

using static Herald.Storage.ModelSql;

namespace Herald.Storage;

/// <summary>The end of one attempt, as plain values: the publication's row and its attempt row.</summary>
/// <param name="PublicationId">Which row.</param>
/// <param name="ExpectedVersion">The version this worker loaded: the row is written only if it still has it.</param>
/// <param name="Publication">Every column of the publication but its key, with its model property and whether it changed.</param>
/// <param name="Attempt">Every column of the attempt row the database does not generate; empty when only the publication's row is written.</param>
internal sealed record OutcomeRow(
    Guid PublicationId,
    int ExpectedVersion,
    IReadOnlyList<(IProperty Property, object? Value, bool Changed)> Publication,
    IReadOnlyList<(IProperty Property, object? Value)> Attempt);

/// <summary>
/// Writes the end of every attempt in the process — the publication's new state and its attempt row — and the
/// marks a runner saves on its way (the start of a send or a lookup: the publication's row alone), with group
/// commit: a write that arrives while another is in flight joins the next group (marks before outcomes), and a group
/// is one statement on PostgreSQL (one round trip, one commit) or one transaction on SQLite. Under light load every
/// outcome is written alone and at once; under heavy load dozens share a commit. Each caller still waits for
/// its own row to be durable before it moves on, so "the outcome is stored the moment it is known" holds.
/// </summary>
/// <remarks>
/// Columns, conversions and parameter types come from the EF model, so a row is stored exactly as
/// <c>SaveChanges</c> would store it. The optimistic concurrency check is kept per row: a publication whose
/// version changed since it was loaded is not written (nor is its attempt), and its caller gets
/// <see cref="PublicationConflictException"/>.
/// </remarks>
internal sealed class OutcomeWriter(IServiceScopeFactory scopes)
{
    /// <summary>Rows per statement at most; PostgreSQL allows 65,535 parameters, a row uses about 30.</summary>
    private const int MaxGroup = 200;

    private readonly Lock _lock = new();
    private readonly List<(OutcomeRow Row, TaskCompletionSource<bool> Written)> _pending = [];
    private bool _flushing;

    /// <summary>Writes <paramref name="row"/>; true when written, false when the row's version had changed.</summary>
    public Task<bool> WriteAsync(OutcomeRow row)
    {
        var written = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        bool lead;
        lock (_lock)
        {
            _pending.Add((row, written));
            lead = !_flushing;
            _flushing = true;
        }

        if (lead)
        {
            _ = Task.Run(FlushAsync);
        }

        return written.Task;
    }

    private async Task FlushAsync()
    {
        while (true)
        {
            List<(OutcomeRow Row, TaskCompletionSource<bool> Written)> group;
            lock (_lock)
            {
                if (_pending.Count == 0)
                {
                    _flushing = false;
                    return;
                }

                group = TakeGroup();
            }

            try
            {
                var written = await WriteGroupAsync(group.Select(g => g.Row).ToList());
                foreach (var (row, completion) in group)
                {
                    completion.SetResult(written.Contains(row.PublicationId));
                }
            }
            catch (Exception) when (group.Count > 1)
            {
                // One bad row must not cost the others their known outcomes: write them one by one.
                foreach (var (row, completion) in group)
                {
                    await WriteAloneAsync(row, completion);
                }
            }
            catch (Exception)
            {
                // A group of one (the usual case under light load) gets the same retries as a fallback row.
                await WriteAloneAsync(group[0].Row, group[0].Written);
            }
        }
    }

    /// <summary>
    /// Takes the next group off the pending rows (the caller holds the lock). One row per publication in a group: two
    /// saves of the same row with the same expected version would both see its id come back from one UPDATE, and one
    /// change would be lost unseen; a second one waits for the next group, where the version check refuses it. Marks
    /// first: a runner waits for its mark before it sends (held posts released at one instant all do), and for its
    /// outcome only before it finishes. Rows of one publication keep their order: a mark goes ahead only of other
    /// publications' rows.
    /// </summary>
    private List<(OutcomeRow Row, TaskCompletionSource<bool> Written)> TakeGroup()
    {
        var ids = new HashSet<Guid>();
        var passedOver = new HashSet<Guid>();
        var group = new List<(OutcomeRow Row, TaskCompletionSource<bool> Written)>();
        foreach (var marksPass in (ReadOnlySpan<bool>)[true, false])
        {
            for (var i = 0; i < _pending.Count && group.Count < MaxGroup; i++)
            {
                var id = _pending[i].Row.PublicationId;
                var mayGo = !marksPass || (_pending[i].Row.Attempt.Count == 0 && !passedOver.Contains(id));
                if (mayGo && ids.Add(id))
                {
                    group.Add(_pending[i]);
                    _pending.RemoveAt(i--);
                }
                else if (marksPass)
                {
                    passedOver.Add(id);
                }
            }
        }

        return group;
    }

    /// <summary>
    /// Writes one row, retrying a transient database failure (a dropped connection, a restarting server) with
    /// backoff for about six seconds before giving up on it; the row's lease then brings it back.
    /// </summary>
    private async Task WriteAloneAsync(OutcomeRow row, TaskCompletionSource<bool> completion)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                completion.SetResult((await WriteGroupAsync([row])).Contains(row.PublicationId));
                return;
            }
            catch (DbException ex) when (ex.IsTransient && attempt < 7)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100 << (attempt - 1)));
            }
            catch (Exception ex)
            {
                completion.SetException(ex);
                return;
            }
        }
    }

    private async Task<HashSet<Guid>> WriteGroupAsync(List<OutcomeRow> rows)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HeraldDbContext>();
        await db.Database.OpenConnectionAsync();
        try
        {
            var connection = db.Database.GetDbConnection();
            return db.Database.IsNpgsql()
                ? await WritePostgresAsync(connection, rows)
                : await WriteOneByOneAsync(connection, rows);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// One statement for the group: the new publication rows as a VALUES list, an UPDATE that takes only the rows
    /// whose version is unchanged, and an INSERT of the attempt rows (of the outcomes) of exactly those publications.
    /// </summary>
    private static async Task<HashSet<Guid>> WritePostgresAsync(DbConnection connection, List<OutcomeRow> rows)
    {
        await using var command = connection.CreateCommand();
        var first = rows[0];
        // Only the columns some row of the group changed (rows that did not change one write its current value).
        var changed = Enumerable.Range(0, first.Publication.Count).Where(i => rows.Any(r => r.Publication[i].Changed)).ToList();
        var publicationColumns = changed.Select(i => Quote(first.Publication[i].Property.GetColumnName())).ToList();
        var idProperty = first.Publication[0].Property.DeclaringType.ContainingEntityType.FindPrimaryKey()!.Properties[0];
        var versionColumn = Quote(first.Publication.Single(c => c.Property.IsConcurrencyToken).Property.GetColumnName());
        var publicationTable = Quote(idProperty.DeclaringType.ContainingEntityType.GetTableName()!);
        var idColumn = Quote(idProperty.GetColumnName());
        var versionProperty = first.Publication.Single(c => c.Property.IsConcurrencyToken).Property;
        var data = rows.Select(r =>
            "(" + string.Join(", ",
                new[] { Parameter(command, idProperty, new PublicationId(r.PublicationId)), Parameter(command, versionProperty, r.ExpectedVersion) }
                    .Concat(changed.Select(i => Parameter(command, r.Publication[i].Property, r.Publication[i].Value)))) + ")");
        var sql = new StringBuilder(
            $"WITH data (\"__id\", \"__expected_version\", {string.Join(", ", publicationColumns)}) AS (VALUES {string.Join(", ", data)}), " +
            $"updated AS (UPDATE {publicationTable} p SET {string.Join(", ", publicationColumns.Select(c => $"{c} = data.{c}"))} " +
            $"FROM data WHERE p.{idColumn} = data.\"__id\" AND p.{versionColumn} = data.\"__expected_version\" RETURNING p.{idColumn})");
        // Attempt rows (an outcome has one, a mark before sending has none) go in only for the rows updated.
        // A data-modifying WITH runs whether or not the final SELECT reads it.
        var withAttempts = rows.Where(r => r.Attempt.Count > 0).ToList();
        if (withAttempts.Count > 0)
        {
            var attemptColumns = withAttempts[0].Attempt.Select(c => Quote(c.Property.GetColumnName())).ToList();
            var attemptTable = Quote(withAttempts[0].Attempt[0].Property.DeclaringType.ContainingEntityType.GetTableName()!);
            var publicationIdColumn = Quote(withAttempts[0].Attempt.Single(c => c.Property.IsForeignKey()).Property.GetColumnName());
            var attempts = withAttempts.Select(r => "(" + string.Join(", ", r.Attempt.Select(c => Parameter(command, c.Property, c.Value))) + ")");
            sql.Append(
                $", attempt ({string.Join(", ", attemptColumns)}) AS (VALUES {string.Join(", ", attempts)}), " +
                $"inserted AS (INSERT INTO {attemptTable} ({string.Join(", ", attemptColumns)}) " +
                $"SELECT {string.Join(", ", attemptColumns.Select(c => $"attempt.{c}"))} FROM attempt JOIN updated ON updated.{idColumn} = attempt.{publicationIdColumn})");
        }

        sql.Append($" SELECT {idColumn} FROM updated");
        command.CommandText = sql.ToString();

        var written = new HashSet<Guid>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            written.Add(reader.GetGuid(0));
        }

        return written;
    }

    /// <summary>SQLite: one transaction for the group, an UPDATE and (for an outcome) an INSERT per row.</summary>
    private static async Task<HashSet<Guid>> WriteOneByOneAsync(DbConnection connection, List<OutcomeRow> rows)
    {
        var written = new HashSet<Guid>();
        await using var transaction = await connection.BeginTransactionAsync();
        foreach (var row in rows)
        {
            await using var update = connection.CreateCommand();
            update.Transaction = transaction;
            var idProperty = row.Publication[0].Property.DeclaringType.ContainingEntityType.FindPrimaryKey()!.Properties[0];
            var version = row.Publication.Single(c => c.Property.IsConcurrencyToken).Property;
            update.CommandText =
                $"UPDATE {Quote(idProperty.DeclaringType.ContainingEntityType.GetTableName()!)} SET " +
                string.Join(", ", row.Publication.Where(c => c.Changed).Select(c => $"{Quote(c.Property.GetColumnName())} = {Parameter(update, c.Property, c.Value)}")) +
                $" WHERE {Quote(idProperty.GetColumnName())} = {Parameter(update, idProperty, new PublicationId(row.PublicationId))}" +
                $" AND {Quote(version.GetColumnName())} = {Parameter(update, version, row.ExpectedVersion)}";
            if (await update.ExecuteNonQueryAsync() != 1)
            {
                continue;
            }

            written.Add(row.PublicationId);
            if (row.Attempt.Count == 0)
            {
                continue;
            }

            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText =
                $"INSERT INTO {Quote(row.Attempt[0].Property.DeclaringType.ContainingEntityType.GetTableName()!)} " +
                $"({string.Join(", ", row.Attempt.Select(c => Quote(c.Property.GetColumnName())))}) " +
                $"VALUES ({string.Join(", ", row.Attempt.Select(c => Parameter(insert, c.Property, c.Value)))})";
            await insert.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
        return written;
    }
}

/// <summary>Turns a tracked publication and its attempt into an <see cref="OutcomeRow"/>.</summary>
internal static class OutcomeRows
{
    /// <summary>
    /// The row of <paramref name="entry"/>'s publication as it is now tracked (changes already looked for), with
    /// <paramref name="attempt"/>'s row when there is one.
    /// </summary>
    public static OutcomeRow From(HeraldDbContext db, EntityEntry<Publication> entry, Attempt? attempt)
    {
        var columns = new List<(IProperty, object?, bool)>();
        foreach (var property in entry.Properties)
        {
            if (!property.Metadata.IsPrimaryKey())
            {
                columns.Add(((IProperty)property.Metadata, property.CurrentValue, property.IsModified));
            }
        }

        var attemptColumns = attempt is null ? [] : AttemptColumns(db).Select(c => (c.Property, c.Read(attempt))).ToList();
        return new OutcomeRow(entry.Entity.Id.Value, (int)entry.Property(nameof(Publication.Version)).OriginalValue!, columns, attemptColumns);
    }

    /// <summary>What was written is now what the context holds: a later SaveChanges starts from it.</summary>
    public static void Accept(EntityEntry<Publication> entry)
    {
        entry.OriginalValues.SetValues(entry.CurrentValues);
        entry.State = EntityState.Unchanged;
    }

    /// <summary>The attempt's columns the database does not generate, each with a reader of its value (one list per model).</summary>
    private static IReadOnlyList<(IProperty Property, Func<Attempt, object?> Read)> AttemptColumns(HeraldDbContext db) =>
        AttemptColumnsByModel.GetValue(db.Model, static model => [.. model.FindEntityType(typeof(Attempt))!.GetProperties()
            .Where(p => p.ValueGenerated == ValueGenerated.Never)
            .Select(p => (p, (Func<Attempt, object?>)p.GetGetter().GetClrValueUsingContainingEntity))]);

    private static readonly ConditionalWeakTable<IModel, IReadOnlyList<(IProperty, Func<Attempt, object?>)>> AttemptColumnsByModel = new();
}
