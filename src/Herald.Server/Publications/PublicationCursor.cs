using System.Buffers.Text;
using System.Linq.Expressions;
using System.Text.Json;
using Herald.Publications;

namespace Herald.Server.Publications;

/// <summary>
/// A keyset position over publications ordered by a time and then by id: the time and the id of the last row given
/// out. The list pages newest first by creation time — the next page holds rows created earlier, or at that time with
/// a lower id — so a row added while a client pages is never returned twice and never makes another row skip; the
/// event stream walks forwards by update time the same way. Its size is fixed, however many rows share one time (a
/// bulk schedule stamps thousands with one instant). <see cref="Last"/> is null for a position that takes every row at
/// <see cref="At"/> (a stream that starts now, or a cursor from a server that kept the ids it had given out).
/// </summary>
internal sealed record PublicationCursor(DateTimeOffset At, Guid? Last)
{
    private sealed record Wire(long T, Guid? I, [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] Guid[]? S);

    public string Encode() =>
        Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new Wire(At.UtcTicks, Last, null)));

    public static bool TryDecode(string text, out PublicationCursor? cursor)
    {
        cursor = null;
        try
        {
            var wire = JsonSerializer.Deserialize<Wire>(Base64Url.DecodeFromChars(text));
            if (wire is null || wire.T is < 0 || wire.T > DateTimeOffset.MaxValue.UtcTicks)
            {
                return false;
            }

            // An older cursor listed the ids given out at T (S): it resumes with every row at T, which may repeat a
            // few of them once, and never skips one.
            cursor = new PublicationCursor(new DateTimeOffset(wire.T, TimeSpan.Zero), wire.S is null ? wire.I : null);
            return true;
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return false;
        }
    }

    /// <summary>
    /// Rows after this position going forwards (<paramref name="time"/> then id ascending): a later time, or the same
    /// time and a higher id. The ids are compared by the database, in the order its own ORDER BY uses.
    /// </summary>
    public Expression<Func<Publication, bool>> Following(Expression<Func<Publication, DateTimeOffset>> time) =>
        Build(time, ExpressionType.GreaterThan);

    /// <summary>Rows after this position going backwards (time then id descending): an earlier time, or the same time and a lower id.</summary>
    public Expression<Func<Publication, bool>> Preceding(Expression<Func<Publication, DateTimeOffset>> time) =>
        Build(time, ExpressionType.LessThan);

    private Expression<Func<Publication, bool>> Build(Expression<Func<Publication, DateTimeOffset>> time, ExpressionType direction)
    {
        var p = time.Parameters[0];
        var column = time.Body;
        // Captured values become query parameters (one cached plan), as a closure's would.
        var values = Expression.Constant(new Values(At, new PublicationId(Last ?? Guid.Empty)));
        var at = Expression.Property(values, nameof(Values.At));
        // The time bound, inclusive, stated on its own: it gives the database a range on the time's index.
        var bound = Expression.MakeBinary(direction == ExpressionType.GreaterThan ? ExpressionType.GreaterThanOrEqual : ExpressionType.LessThanOrEqual, column, at);
        if (Last is null)
        {
            // Every row at At, in either direction: a stream that starts now reads them; an older list cursor (which
            // listed the ids it had given out) may repeat a few of them once, and never skips one.
            return Expression.Lambda<Func<Publication, bool>>(bound, p);
        }

        var beyondTime = Expression.MakeBinary(direction, column, at);
        var id = Expression.Property(p, nameof(Publication.Id));
        var beyondId = Expression.MakeBinary(direction, id, Expression.Property(values, nameof(Values.Last)), liftToNull: false,
            direction == ExpressionType.GreaterThan ? IdOrder.GreaterMethod : IdOrder.LessMethod);
        return Expression.Lambda<Func<Publication, bool>>(
            Expression.AndAlso(bound, Expression.OrElse(beyondTime, Expression.AndAlso(Expression.Equal(column, at), beyondId))), p);
    }

    private sealed record Values(DateTimeOffset At, PublicationId Last);

    /// <summary>
    /// Comparisons of ids that only a database runs: they give the comparison a method for the expression tree, and the
    /// database compares the stored values in its own order (the one ORDER BY uses). In memory they refuse to run.
    /// </summary>
    private static class IdOrder
    {
        public static readonly System.Reflection.MethodInfo LessMethod = typeof(IdOrder).GetMethod(nameof(Less))!;

        public static readonly System.Reflection.MethodInfo GreaterMethod = typeof(IdOrder).GetMethod(nameof(Greater))!;

        public static bool Less(PublicationId left, PublicationId right) => throw new NotSupportedException("Ids are ordered only inside a database query.");

        public static bool Greater(PublicationId left, PublicationId right) => throw new NotSupportedException("Ids are ordered only inside a database query.");
    }
}
