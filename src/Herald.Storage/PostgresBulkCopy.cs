using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Npgsql;

using static Herald.Storage.ModelSql;

namespace Herald.Storage;

/// <summary>
/// Writes many new rows of one entity type with PostgreSQL's binary COPY, on the context's connection and in its
/// transaction. Table (with its schema), columns, conversions and store types come from the EF model, so the mapping
/// is declared once (Configurations/) and a new column is copied without a change here.
/// </summary>
/// <remarks>
/// COPY writes exactly the values it is given: a column the database or EF would generate (an identity, a default,
/// a computed value) is refused with an exception rather than silently written as the CLR default.
/// </remarks>
internal sealed class PostgresBulkCopy(DbContext db)
{
    /// <summary>Below this many rows, tracked inserts (batched by EF) cost about as little.</summary>
    public const int MinimumRows = 200;

    /// <summary>
    /// Copies <paramref name="rows"/>, reading them once, in order, as they are written. <paramref name="shadow"/>
    /// gives, by property name, the value of each shadow property (one the entity type does not have); one without a
    /// value there is refused before anything is written.
    /// </summary>
    public async Task CopyAsync<T>(
        IEnumerable<T> rows, IReadOnlyDictionary<string, Func<T, object?>>? shadow, CancellationToken cancellationToken)
        where T : class
    {
        var entityType = db.Model.FindEntityType(typeof(T))
            ?? throw new InvalidOperationException($"{typeof(T).Name} is not part of the model.");
        var table = StoreObjectIdentifier.Table(
            entityType.GetTableName() ?? throw new InvalidOperationException($"{typeof(T).Name} is not mapped to a table."),
            entityType.GetSchema());
        var columns = entityType.GetProperties().Select(p => Column<T>.Of(p, table, shadow)).ToList();
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var names = string.Join(", ", columns.Select(c => Quote(c.Name)));
        var target = table.Schema is null ? Quote(table.Name) : $"{Quote(table.Schema)}.{Quote(table.Name)}";
        await using var importer = await connection.BeginBinaryImportAsync(
            $"COPY {target} ({names}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var row in rows)
        {
            await importer.StartRowAsync(cancellationToken);
            foreach (var column in columns)
            {
                var value = column.Value(row);
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

    private sealed record Column<T>(string Name, string StoreType, ValueConverter? Converter, Func<T, object?> Value)
        where T : class
    {
        public static Column<T> Of(IProperty property, StoreObjectIdentifier table, IReadOnlyDictionary<string, Func<T, object?>>? shadow)
        {
            if (property.ValueGenerated != ValueGenerated.Never)
            {
                throw new InvalidOperationException(
                    $"{typeof(T).Name}.{property.Name} is generated ({property.ValueGenerated}); binary COPY would write its CLR default instead. " +
                    "Store this entity type with tracked inserts.");
            }

            var storeType = property.GetColumnType();
            // "character varying(200)" → "character varying": COPY takes the type's name, the length is the column's.
            var parenthesis = storeType.IndexOf('(', StringComparison.Ordinal);
            return new Column<T>(
                property.GetColumnName(table) ?? throw new InvalidOperationException($"{typeof(T).Name}.{property.Name} has no column in {table.Name}."),
                parenthesis < 0 ? storeType : storeType[..parenthesis],
                property.GetTypeMapping().Converter,
                ModelSql.Getter(property, shadow));
        }
    }
}
