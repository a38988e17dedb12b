namespace Herald.Server.Dashboard.Actions;

/// <summary>What became of a form: what was done, or every reason it was refused (each naming its field; nothing was changed).</summary>
public sealed record DashboardActionResult(string? Done, IReadOnlyList<string> Problems)
{
    public static DashboardActionResult Refused(params string[] problems) => new(null, problems);
}
