namespace Herald.Server.Webhooks;

/// <summary>The body of <c>POST /webhooks</c>: where to deliver, which event types (none: every type), a note.</summary>
public sealed record CreateWebhookRequest(string? Url, IReadOnlyList<string>? EventTypes, string? Description);

/// <summary>Checks a <see cref="CreateWebhookRequest"/>: every problem with its field and rule.</summary>
internal static class WebhookInput
{
    public const int MaxUrlLength = 2000;
    public const int MaxDescriptionLength = 500;

    public static List<(string Field, string Message)> Problems(CreateWebhookRequest request)
    {
        var problems = new List<(string, string)>();
        if (string.IsNullOrWhiteSpace(request.Url))
        {
            problems.Add(("url", "is required: the absolute http or https URL Herald posts events to"));
        }
        else if (request.Url.Length > MaxUrlLength || !Uri.TryCreate(request.Url, UriKind.Absolute, out var url) ||
                 url.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(url.UserInfo))
        {
            problems.Add(("url", $"must be an absolute http or https URL of at most {MaxUrlLength} characters, without user or password"));
        }

        var types = request.EventTypes ?? [];
        for (var i = 0; i < types.Count; i++)
        {
            if (!WebhookEventTypes.All.Contains(types[i]))
            {
                problems.Add(($"eventTypes[{i}]", $"unknown event type '{types[i]}'; known types: {string.Join(", ", WebhookEventTypes.All)}"));
            }
        }

        if (request.Description is { Length: > MaxDescriptionLength })
        {
            problems.Add(("description", $"must be at most {MaxDescriptionLength} characters"));
        }

        return problems;
    }
}
