using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Npgsql;

namespace Herald.Storage;

/// <summary>
/// Writes many new rows of one entity type with PostgreSQL's binary COPY, on the context's connection and in its
/// transaction. Columns, conversions and store types come from the EF model, so the mapping is declared once
/// (Configurations/) and a new column is copied without a change here.
/// </summary>
internal sealed class PostgresBulkCopy(HeraldDbContext db)
{
    /// <summary>Below this many rows, tracked inserts (batched by EF) cost about as little and keep the entities tracked.</summary>
    public const int MinimumRows = 200;

    /// <summary>
    /// Copies <paramref name="rows"/>; <paramref name="shadow"/> gives the value of a shadow property (one the entity
    /// type does not have) by its name.
    /// </summary>
    public async Task CopyAsync<T>(IReadOnlyList<T> rows, Func<T, string, object?>? shadow, CancellationToken cancellationToken)
        where T : class
    {
        var entityType = db.Model.FindEntityType(typeof(T))
            ?? throw new InvalidOperationException($"{typeof(T).Name} is not part of Herald's model.");
        var columns = entityType.GetProperties()
            .Where(p => p.ValueGenerated == ValueGenerated.Never)
            .Select(Column.Of)
            .ToList();
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var names = string.Join(", ", columns.Select(c => $"\"{c.Name}\""));
        await using var importer = await connection.BeginBinaryImportAsync(
            $"COPY \"{entityType.GetTableName()}\" ({names}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var row in rows)
        {
            await importer.StartRowAsync(cancellationToken);
            foreach (var column in columns)
            {
                var value = column.Getter is null
                    ? (shadow ?? throw new InvalidOperationException($"No value given for {column.Name}."))(row, column.Property.Name)
                    : column.Getter.GetClrValue(row);
                if (value is not null && column.Converter is not null)
                {
                    value = column.Converter.ConvertToProvider(value);
                }

                if (value is null)
                {
                    await importer.WriteNullAsync(cancellationToken);
                }
                else
                {
                    await importer.WriteAsync(value, column.StoreType, cancellationToken);
                }
            }
        }

        await importer.CompleteAsync(cancellationToken);
    }

    private sealed record Column(
        IProperty Property, string Name, string StoreType, ValueConverter? Converter, IClrPropertyGetter? Getter)
    {
        public static Column Of(IProperty property)
        {
            var storeType = property.GetColumnType();
            // "character varying(200)" → "character varying": COPY takes the type's name, the length is the column's.
            var parenthesis = storeType.IndexOf('(', StringComparison.Ordinal);
            return new Column(
                property,
                property.GetColumnName(),
                parenthesis < 0 ? storeType : storeType[..parenthesis],
                property.GetTypeMapping().Converter,
                property.IsShadowProperty() ? null : property.GetGetter());
        }
    }
}
