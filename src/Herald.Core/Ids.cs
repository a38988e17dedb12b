namespace Herald;

/// <summary>Identifies a <see cref="Contents.Content"/>.</summary>
public readonly record struct ContentId(Guid Value)
{
    public static ContentId New() => new(Guid.CreateVersion7());
    public override string ToString() => Value.ToString("N");
}

/// <summary>Identifies an <see cref="Accounts.Account"/>.</summary>
public readonly record struct AccountId(Guid Value)
{
    public static AccountId New() => new(Guid.CreateVersion7());
    public override string ToString() => Value.ToString("N");
}

/// <summary>Identifies a <see cref="Publications.Publication"/>: one content on one account.</summary>
public readonly record struct PublicationId(Guid Value)
{
    public static PublicationId New() => new(Guid.CreateVersion7());
    public override string ToString() => Value.ToString("N");
}
