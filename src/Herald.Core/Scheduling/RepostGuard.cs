using Herald.Accounts;
using Herald.Publications;
using Herald.Validation;

namespace Herald.Scheduling;

/// <summary>
/// The repost guard: the same content (its canonical URL, or the hash of its text) published — or on its way — to
/// the same account is refused, naming the earlier publication, unless the caller said "again". In a bulk call the
/// same content twice for one account is refused the same way, naming both items.
/// </summary>
internal static class RepostGuard
{
    public static async Task ThrowIfRepostAsync(
        IPublicationStore store,
        IReadOnlyList<ScheduleItem> items,
        IReadOnlyDictionary<Account, Account> stored,
        IReadOnlyCollection<AccountId> existingAccounts,
        bool single,
        CancellationToken cancellationToken)
    {
        var fingerprints = items.Select(i => ContentFingerprint.Of(i.Content)).ToArray();
        var problems = new List<ValidationProblem>();
        // Named as the rest of validation names them: targets[j] of a single call, items[i].targets[j] of a bulk one.
        string Field((int Item, int Target) at) => single ? $"targets[{at.Target}]" : $"items[{at.Item}].targets[{at.Target}]";

        var firstSeen = new Dictionary<(string, AccountId), (int Item, int Target)>();
        for (var i = 0; i < items.Count; i++)
        {
            for (var j = 0; j < items[i].Accounts.Count; j++)
            {
                var account = stored[items[i].Accounts[j]];
                if (!firstSeen.TryAdd((fingerprints[i], account.Id), (i, j)))
                {
                    var first = firstSeen[(fingerprints[i], account.Id)];
                    var what = single || first.Item == i
                        ? $"names account '{account.DisplayName}' ({account.Platform}) a second time, after {Field(first)}"
                        : $"sends the same content as {Field(first)} to account '{account.DisplayName}' ({account.Platform})";
                    problems.Add(new ValidationProblem(Field((i, j)), $"{what}; {PostTwiceHint}"));
                }
            }
        }

        // Accounts stored by this very call have published nothing yet: no query when every account is new.
        var earlier = await store.FindEarlierPublicationsAsync(fingerprints, existingAccounts, cancellationToken);
        foreach (var (publication, fingerprint) in earlier
                     .Where(e => firstSeen.ContainsKey((e.Fingerprint, e.Publication.AccountId)))
                     .GroupBy(e => (e.Publication.AccountId, e.Fingerprint))
                     .Select(g => g.Last()))
        {
            // Only where this call sends that content to that account (the query matches contents and accounts apart).
            var at = firstSeen[(fingerprint, publication.AccountId)];
            var account = stored.Values.First(a => a.Id == publication.AccountId);
            var what = publication.Status == PublicationStatus.Published
                ? $"was already published there{(publication.Url is null ? "" : $" ({publication.Url})")}"
                : $"is already on its way there ({publication.Status})";
            problems.Add(new ValidationProblem(
                Field(at),
                $"this content {what} as publication {publication.Id} on {publication.CreatedAt:yyyy-MM-dd HH:mm} UTC, " +
                $"account '{account.DisplayName}' ({account.Platform}); {PostTwiceHint}"));
        }

        if (problems.Count > 0)
        {
            throw new ContentValidationException(problems);
        }
    }

    /// <summary>How to post it anyway, for the CLI and the HTTP API alike.</summary>
    private const string PostTwiceHint = "to post it anyway, schedule it with the again option (herald post --again, \"again\": true over HTTP)";
}
