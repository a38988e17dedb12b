using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Herald.Storage;

/// <summary>
/// Pieces of hand-written SQL taken from the EF model — names, conversions and parameter types — so that a row
/// written outside <c>SaveChanges</c> is stored exactly as <c>SaveChanges</c> would store it.
/// </summary>
internal static class ModelSql
{
    /// <summary>Adds a parameter converted and typed as the model says; returns its placeholder.</summary>
    public static string Parameter(DbCommand command, IProperty property, object? value)
    {
        var name = $"@p{command.Parameters.Count}";
        // The type mapping applies the model's value converter (ids, enums, URIs, JSON lists, UTC ticks) and the type.
        command.Parameters.Add(property.GetRelationalTypeMapping().CreateParameter(command, name, value, property.IsNullable));
        return name;
    }

    /// <summary>Adds a parameter of a plain value (an array, a text) the provider types by itself; returns its placeholder.</summary>
    public static string Parameter(DbCommand command, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = $"@p{command.Parameters.Count}";
        parameter.Value = value;
        command.Parameters.Add(parameter);
        return parameter.ParameterName;
    }

    /// <summary>A quoted identifier: any name, of any case, taken as it is.</summary>
    public static string Quote(string identifier) => $"\"{identifier.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    /// <summary>The entity type's table, with its schema when it has one, quoted.</summary>
    public static string Table(IEntityType type)
    {
        var name = Quote(type.GetTableName() ?? throw new InvalidOperationException($"{type.DisplayName()} is not mapped to a table."));
        return type.GetSchema() is { } schema ? $"{Quote(schema)}.{name}" : name;
    }

    /// <summary>The property's column in its entity type's table, quoted.</summary>
    public static string Column(IProperty property) => Quote(property.GetColumnName());

    /// <summary>
    /// How to read <paramref name="property"/> from a row: its getter, or for a shadow property (one the entity type
    /// does not have) the function <paramref name="shadow"/> gives by its name; one without is refused at once.
    /// </summary>
    public static Func<T, object?> Getter<T>(IProperty property, IReadOnlyDictionary<string, Func<T, object?>>? shadow)
        where T : class
    {
        if (!property.IsShadowProperty())
        {
            var getter = property.GetGetter();
            return row => getter.GetClrValue(row);
        }

        return shadow is not null && shadow.TryGetValue(property.Name, out var value)
            ? value
            : throw new InvalidOperationException($"No value given for the shadow property {typeof(T).Name}.{property.Name}.");
    }
}
