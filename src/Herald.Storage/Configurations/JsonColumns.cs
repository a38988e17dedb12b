using System.Text.Json;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Herald.Storage.Configurations;

/// <summary>Value converters and comparers for the small collections Herald keeps as JSON text.</summary>
internal static class JsonColumns
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General);

    public static ValueConverter<IReadOnlyList<string>, string> StringList { get; } = new(
        v => JsonSerializer.Serialize(v, Options),
        v => JsonSerializer.Deserialize<List<string>>(v, Options) ?? new List<string>());

    public static ValueComparer<IReadOnlyList<string>> StringListComparer { get; } = new(
        (a, b) => a!.SequenceEqual(b!),
        v => v.Aggregate(0, (hash, s) => HashCode.Combine(hash, s.GetHashCode(StringComparison.Ordinal))),
        v => v.ToList());

    public static ValueConverter<IReadOnlyDictionary<string, string>, string> StringMap { get; } = new(
        v => JsonSerializer.Serialize(v, Options),
        v => new Dictionary<string, string>(
            JsonSerializer.Deserialize<Dictionary<string, string>>(v, Options) ?? new Dictionary<string, string>(),
            StringComparer.OrdinalIgnoreCase));

    public static ValueComparer<IReadOnlyDictionary<string, string>> StringMapComparer { get; } = new(
        (a, b) => JsonSerializer.Serialize(a, Options) == JsonSerializer.Serialize(b, Options),
        v => JsonSerializer.Serialize(v, Options).GetHashCode(StringComparison.Ordinal),
        v => new Dictionary<string, string>(v, StringComparer.OrdinalIgnoreCase));

    public static ValueConverter<IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>, string> NestedMap { get; } = new(
        v => JsonSerializer.Serialize(v, Options),
        v => ToNested(JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, string>>>(v, Options)));

    public static ValueComparer<IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>> NestedMapComparer { get; } = new(
        (a, b) => JsonSerializer.Serialize(a, Options) == JsonSerializer.Serialize(b, Options),
        v => JsonSerializer.Serialize(v, Options).GetHashCode(StringComparison.Ordinal),
        v => ToNested(JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, string>>>(JsonSerializer.Serialize(v, Options), Options)));

    private static Dictionary<string, IReadOnlyDictionary<string, string>> ToNested(Dictionary<string, Dictionary<string, string>>? value) =>
        (value ?? []).ToDictionary(
            kv => kv.Key,
            kv => (IReadOnlyDictionary<string, string>)new Dictionary<string, string>(kv.Value, StringComparer.OrdinalIgnoreCase),
            StringComparer.OrdinalIgnoreCase);

    /// <summary>A list of records as a JSON array; two lists are equal when they serialize alike.</summary>
    public static ValueConverter<IReadOnlyList<T>, string> List<T>() => new(
        v => JsonSerializer.Serialize(v, Options),
        v => JsonSerializer.Deserialize<List<T>>(v, Options) ?? new List<T>());

    public static ValueComparer<IReadOnlyList<T>> ListComparer<T>() => new(
        (a, b) => JsonSerializer.Serialize(a, Options) == JsonSerializer.Serialize(b, Options),
        v => JsonSerializer.Serialize(v, Options).GetHashCode(StringComparison.Ordinal),
        v => v.ToList());
}
