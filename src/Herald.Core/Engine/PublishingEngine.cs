using Herald.Accounts;
using Herald.Contents;
using Herald.Platforms;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Herald.Engine;

internal sealed class PublishingEngine(PlatformRegistry registry, ContentLimits contentLimits, ILogger<PublishingEngine>? logger = null) : IPublishingEngine
{
    private readonly ILogger _logger = logger ?? NullLogger<PublishingEngine>.Instance;

    public Task<PublishOutcome> PublishAsync(
        Content content,
        Account account,
        string? idempotencyKey = null,
        CancellationToken cancellationToken = default) =>
        PublishAsync(
            new PublishRequest(content, account, idempotencyKey ?? $"herald-{content.Id.Value:N}-{account.Id.Value:N}"),
            cancellationToken);

    public async Task<PublishOutcome> PublishAsync(PublishRequest request, CancellationToken cancellationToken = default)
    {
        var (content, account) = (request.Content, request.Account);
        if (!registry.TryResolve(account.Platform, out var adapter))
        {
            var unknown = new UnknownPlatformException(account.Platform, registry.PlatformIds.ToList());
            return Refused(unknown.Message, account);
        }

        var platform = adapter.Platform.Id;
        // Adapters are only given content that passed the common rules (valid Unicode text, within the size limit).
        var problems = ContentRules.Validate(content, contentLimits) is { Count: > 0 } common ? common : adapter.Validate(content, account);
        if (problems.Count > 0)
        {
            return Refused(string.Join("; ", problems), account);
        }

        PublishOutcome outcome;
        try
        {
            outcome = await adapter.PublishAsync(request, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested || AttemptDeadline.HasPassed)
        {
            throw;
        }
        catch (Exception ex)
        {
            // An adapter bug: the request may or may not have gone out, so the outcome is Unknown.
            HeraldLog.AdapterThrew(_logger, platform, ex.GetType().Name);
            outcome = PublishOutcome.Unknown($"{adapter.Platform.DisplayName} adapter failed unexpectedly ({ex.GetType().Name}).");
        }

        HeraldLog.Published(_logger, platform, outcome.Kind, outcome.HttpStatus);
        return outcome.Error is null ? outcome : outcome with { Error = ErrorSanitizer.Sanitize(outcome.Error, account.Credentials.SecretValues) };
    }

    private static PublishOutcome Refused(string error, Account account) =>
        PublishOutcome.Permanent(ErrorSanitizer.Sanitize(error, account.Credentials.SecretValues));
}
