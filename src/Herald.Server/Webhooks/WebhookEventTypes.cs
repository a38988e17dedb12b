using System.Text.Json;
using Herald.Publications;

namespace Herald.Server.Webhooks;

/// <summary>
/// The event types a webhook can subscribe to: one per publication status a change leaves it in,
/// <c>publication.</c> + the status in snake case (<c>publication.published</c>, <c>publication.retry_scheduled</c>…).
/// </summary>
public static class WebhookEventTypes
{
    private const string Prefix = "publication.";

    public static IReadOnlyList<string> All { get; } = [.. Enum.GetValues<PublicationStatus>().Select(Of)];

    public static string Of(PublicationStatus status) => Prefix + JsonNamingPolicy.SnakeCaseLower.ConvertName(status.ToString());
}
