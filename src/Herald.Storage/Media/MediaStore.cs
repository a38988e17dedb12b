using System.Data;
using System.Data.Common;
using Herald.Media;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Herald.Storage.Media;

/// <summary>
/// <see cref="IMediaStore"/> on the <c>media</c> table, on the scope's context, its connection and its transaction.
/// Bytes are streamed both ways: written from the caller's stream (SQLite: into a <c>zeroblob</c> through
/// <see cref="SqliteBlob"/>; PostgreSQL: a stream parameter), and read into a private temporary file that the
/// returned stream deletes when closed, so the connection is free again at once and a file is never held in memory.
/// </summary>
internal sealed class MediaStore(HeraldDbContext db) : IMediaStore
{
    private const int BufferSize = 81920;

    public Task<bool> ContainsAsync(string sha256, CancellationToken cancellationToken = default) =>
        db.Set<MediaRow>().AnyAsync(m => m.Sha256 == sha256, cancellationToken);

    public async Task AddAsync(StoredMedia media, Stream data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(media);
        ArgumentNullException.ThrowIfNull(data);
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var connection = db.Database.GetDbConnection();
            var transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            if (connection is SqliteConnection sqlite)
            {
                await AddSqliteAsync(sqlite, transaction, media, data, cancellationToken);
            }
            else
            {
                await AddPostgresAsync((NpgsqlConnection)connection, transaction, media, data, cancellationToken);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task AddSqliteAsync(
        SqliteConnection connection, DbTransaction? transaction, StoredMedia media, Stream data, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = (SqliteTransaction?)transaction;
        command.CommandText =
            "INSERT INTO media (sha256, media_type, length, width, height, data) VALUES ($sha, $type, $length, $width, $height, zeroblob($length)) " +
            "ON CONFLICT (sha256) DO NOTHING RETURNING rowid";
        AddValues(command, media, "$");
        if (await command.ExecuteScalarAsync(cancellationToken) is not long rowId)
        {
            return; // stored already, by another schedule
        }

        await using var blob = new SqliteBlob(connection, "media", "data", rowId);
        await CopyExactlyAsync(data, blob, media.Length, cancellationToken);
    }

    private static async Task AddPostgresAsync(
        NpgsqlConnection connection, DbTransaction? transaction, StoredMedia media, Stream data, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = (NpgsqlTransaction?)transaction;
        command.CommandText =
            "INSERT INTO media (sha256, media_type, length, width, height, data) VALUES (@sha, @type, @length, @width, @height, @data) " +
            "ON CONFLICT (sha256) DO NOTHING";
        AddValues(command, media, "@");
        // A stream parameter: Npgsql sends it in chunks as it reads it.
        command.Parameters.Add(new NpgsqlParameter("data", NpgsqlDbType.Bytea) { Value = data, Size = checked((int)media.Length) });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void AddValues(DbCommand command, StoredMedia media, string prefix)
    {
        void Add(string name, object value)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = prefix + name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        Add("sha", media.Sha256);
        Add("type", media.MediaType);
        Add("length", media.Length);
        Add("width", media.Width);
        Add("height", media.Height);
    }

    public async Task<Stream?> OpenReadAsync(string sha256, CancellationToken cancellationToken = default)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        var path = Path.Combine(Path.GetTempPath(), $"herald-media-{Guid.NewGuid():N}");
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            var sqlite = command is SqliteCommand;
            command.CommandText = sqlite
                ? "SELECT rowid, data FROM media WHERE sha256 = $sha"
                : "SELECT 0, data FROM media WHERE sha256 = @sha";
            var parameter = command.CreateParameter();
            parameter.ParameterName = sqlite ? "$sha" : "@sha";
            parameter.Value = sha256;
            command.Parameters.Add(parameter);
            await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess | CommandBehavior.SingleRow, cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            _ = reader.GetInt64(0);
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, useAsync: true))
            await using (var bytes = reader.GetStream(1))
            {
                await bytes.CopyToAsync(file, BufferSize, cancellationToken);
            }

            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, BufferSize, FileOptions.Asynchronous | FileOptions.DeleteOnClose);
        }
        catch
        {
            File.Delete(path);
            throw;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task CopyExactlyAsync(Stream source, Stream target, long length, CancellationToken cancellationToken)
    {
        var buffer = new byte[BufferSize];
        long copied = 0;
        int read;
        while (copied < length && (read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, length - copied)), cancellationToken)) > 0)
        {
            await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            copied += read;
        }

        if (copied != length)
        {
            throw new InvalidOperationException($"The image changed while it was stored: {copied:N0} bytes read, {length:N0} expected.");
        }
    }
}
