namespace Herald.Contents;

/// <summary>
/// The longest value each short field of a content may have, in characters (Unicode code points, as PostgreSQL
/// counts them): the sizes of the database columns that hold them. <see cref="ContentRules"/> refuses a longer value
/// by name before anything is stored; storage declares its columns with these same numbers.
/// </summary>
internal static class ContentFieldLengths
{
    public const int Title = 1000;
    public const int Author = 200;
    public const int Series = 200;
    public const int Language = 16;

    /// <summary>Its fingerprint (<c>url:</c> and the address without its fragment) is stored in a column of <see cref="Fingerprint"/>.</summary>
    public const int CanonicalUrl = 2048;

    public const int Fingerprint = 2100;
}
