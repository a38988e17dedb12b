using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Herald.Storage.Configurations;

/// <summary>Stores a <see cref="DateTimeOffset"/> as the same instant with offset zero; reads it back unchanged.</summary>
internal sealed class ToUtcConverter() : ValueConverter<DateTimeOffset, DateTimeOffset>(
    v => v.ToUniversalTime(),
    v => v);
