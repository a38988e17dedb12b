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
        string Field(int item, Account account) => single ? account.Platform : $"items[{item}].targets";

        var firstSeen = new Dictionary<(string, AccountId), int>();
        for (var i = 0; i < items.Count; i++)
        {
            foreach (var account in items[i].Accounts.Select(a => stored[a]))
            {
                if (!firstSeen.TryAdd((fingerprints[i], account.Id), i))
                {
                    problems.Add(new ValidationProblem(
                        Field(i, account),
                        $"the same content as items[{firstSeen[(fingerprints[i], account.Id)]}] goes to account '{account.DisplayName}' twice; " +
                        "to post it twice anyway, say so (again)"));
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
            var item = firstSeen[(fingerprint, publication.AccountId)];
            var account = stored.Values.First(a => a.Id == publication.AccountId);
            var what = publication.Status == PublicationStatus.Published
                ? $"was already published there{(publication.Url is null ? "" : $" ({publication.Url})")}"
                : $"is already on its way there ({publication.Status})";
            problems.Add(new ValidationProblem(
                Field(item, account),
                $"this content {what} as publication {publication.Id} on {publication.CreatedAt:yyyy-MM-dd HH:mm} UTC, account '{account.DisplayName}'; " +
                "to post it again anyway, say so (herald post --again)"));
        }

        if (problems.Count > 0)
        {
            throw new ContentValidationException(problems);
        }
    }
}
