using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Herald.Storage.Configurations;

/// <summary>Stores a <see cref="DateTimeOffset"/> as its UTC ticks; reads it back as a UTC instant.</summary>
internal sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
    v => v.UtcTicks,
    v => new DateTimeOffset(v, TimeSpan.Zero));
