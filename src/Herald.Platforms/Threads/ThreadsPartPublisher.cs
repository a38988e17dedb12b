namespace Herald.Platforms.Threads;

/// <summary>
/// Publishes one post (one part of a thread) in Threads' two steps (docs/platforms.md, Threads, "Publishing = 2 steps"):
/// create a text container, wait until its status is <c>FINISHED</c>, then <c>threads_publish</c> it.
/// </summary>
/// <remarks>
/// Only <c>threads_publish</c> makes anything public, so everything before it is safe to repeat: a container lost
/// on the way just expires unpublished after 24 hours, and any failure up to there is at worst Transient.
/// <c>threads_publish</c> itself is never blindly repeated: when its answer is lost or ambiguous (no answer, a
/// 5xx, Graph code 1 or 2), the container's status decides — <c>PUBLISHED</c> means the post went out and its id
/// is looked up among the account's own posts; <c>FINISHED</c> means it did not, and the same container may be
/// sent again (Threads has no idempotency key; docs/platforms.md, Threads, "Idempotency").
/// </remarks>
internal sealed class ThreadsPartPublisher(ThreadsApi api, ThreadsOwnPosts ownPosts, ThreadsOptions options, TimeProvider timeProvider)
{
    /// <summary>How far Herald's clock may be ahead of Meta's when it bounds a search by its own time.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromHours(1);

    /// <summary>Publishes <paramref name="text"/>, as a reply to <paramref name="replyToId"/> when given.</summary>
    /// <param name="text">The post's text, exactly as rendered.</param>
    /// <param name="replyToId">The published media id of the previous part; null for a first post.</param>
    /// <param name="earlierParts">The media ids of this thread's earlier parts, never taken for this one.</param>
    /// <param name="cancellationToken">Cancels the waits and calls.</param>
    /// <param name="container">
    /// Makes (or finds again) the part's container when it is not a plain text one: an image or a carousel
    /// (<see cref="ThreadsImageContainers"/>); null for a text container.
    /// </param>
    public async Task<PartResult> PublishAsync(
        string text, string? replyToId, IReadOnlyCollection<string> earlierParts, CancellationToken cancellationToken,
        Func<CancellationToken, Task<(string? ContainerId, PublishOutcome? Failure)>>? container = null)
    {
        var startedAt = timeProvider.GetUtcNow();
        var (containerId, refused) = container is null ? await CreateAsync(api.CreateTextContainerAsync(text, replyToId, cancellationToken)) : await container(cancellationToken);
        if (containerId is null)
        {
            return PartResult.Failed(refused!);
        }

        var wait = new ContainerWait(options, timeProvider);
        var publishMayHaveHappened = false;
        var attempts = 0;
        PublishOutcome? lastFailure = null;
        while (true)
        {
            var state = await WaitForContainerAsync(containerId, wait, publishMayHaveHappened, cancellationToken);
            if (state.Failure is { } stopped)
            {
                return PartResult.Failed(stopped);
            }

            if (state.Published)
            {
                return await IdOfPublishedAsync(containerId, text, startedAt - ClockSkew, earlierParts, cancellationToken);
            }

            if (attempts == options.PublishAttempts)
            {
                return PartResult.Failed(PublishOutcome.Transient(
                    $"threads_publish did not go through after {attempts} attempt(s) ({lastFailure?.Error}); container {containerId} is still " +
                    "FINISHED, so nothing was posted.",
                    lastFailure?.HttpStatus));
            }

            attempts++;
            var published = await api.PublishAsync(containerId, cancellationToken);
            if (published.Value?.Id is { Length: > 0 } mediaId)
            {
                return new PartResult(mediaId, null, published.Status);
            }

            lastFailure = published.Failure;
            if (published.IsNotFoundYet)
            {
                if (!await wait.DelayAsync(cancellationToken))
                {
                    return PartResult.Failed(published.Failure!);
                }

                continue;
            }

            if (published.MayHaveTakenEffect)
            {
                // The status check at the top of the loop says whether it went out.
                publishMayHaveHappened = true;
                continue;
            }

            // A definite refusal, or a request that never left (connection refused): nothing was posted.
            return PartResult.Failed(published.Failure is { Kind: PublishOutcomeKind.RateLimited } limited
                ? await ownPosts.UsedUpQuotaAsync(replyToId is not null, cancellationToken) ?? limited
                : published.Failure!);
        }
    }

    /// <summary>
    /// A container creation's id; an answer lost on the way is a plain retry, since a container is never shown.
    /// </summary>
    public static async Task<(string? ContainerId, PublishOutcome? Failure)> CreateAsync(Task<ThreadsAnswer<ThreadsIdAnswer>> create)
    {
        var created = await create;
        if (created.Value?.Id is { Length: > 0 } containerId)
        {
            return (containerId, null);
        }

        var failure = created.Failure!;
        return (null, failure.Kind == PublishOutcomeKind.Unknown
            ? PublishOutcome.Transient($"{failure.Error} Only a container could have been made, which is never shown; nothing was posted.", failure.HttpStatus)
            : failure);
    }

    /// <summary>Waits until a carousel item is FINISHED (Threads downloaded its image); the outcome that stops, else null.</summary>
    public async Task<PublishOutcome?> WaitUntilFinishedAsync(string containerId, CancellationToken cancellationToken)
    {
        var state = await WaitForContainerAsync(containerId, new ContainerWait(options, timeProvider), afterPublish: false, cancellationToken);
        return state.Published
            ? PublishOutcome.Unknown($"Threads carousel item {containerId} is already PUBLISHED: an earlier try's carousel may have gone out.")
            : state.Failure;
    }

    /// <summary>
    /// Checks the container's status until it is FINISHED or PUBLISHED, waiting between checks. After a
    /// <c>threads_publish</c> whose outcome is unknown, failing to learn the status is Unknown, not Transient.
    /// </summary>
    private async Task<ContainerState> WaitForContainerAsync(string containerId, ContainerWait wait, bool afterPublish, CancellationToken cancellationToken)
    {
        while (wait.TryCheck())
        {
            var answer = await api.ContainerStatusAsync(containerId, cancellationToken);
            switch (answer.Value?.Status)
            {
                case ThreadsContainerStatus.Finished:
                    return ContainerState.Ready;
                case ThreadsContainerStatus.Published:
                    return ContainerState.WentOut;
                case ThreadsContainerStatus.Expired:
                    return ContainerState.Stopped(PublishOutcome.Transient(
                        $"Threads container {containerId} expired before it was published; nothing was posted, and the next try makes a new one."));
                case ThreadsContainerStatus.Error:
                    return ContainerState.Stopped(PublishOutcome.Permanent(
                        $"Threads could not prepare the post (container {containerId} is in ERROR: {answer.Value.ErrorMessage ?? "no reason given"}); nothing was posted."));
                case ThreadsContainerStatus.InProgress:
                    break;
                case null when answer.IsNotFoundYet || answer.Failure?.Kind is PublishOutcomeKind.Transient or PublishOutcomeKind.Unknown:
                    // Not visible yet, or a read that failed on the way: reading again is harmless.
                    break;
                case null:
                    return ContainerState.Stopped(afterPublish
                        ? PublishOutcome.Unknown(
                            $"The answer to threads_publish was lost, and Threads then refused to show container {containerId}'s status ({answer.Failure!.Error}); the post may exist.",
                            answer.Status)
                        : answer.Failure!);
                default:
                    // A status docs/platforms.md does not list: not ready as far as Herald can tell.
                    break;
            }

            if (!await wait.DelayAsync(cancellationToken))
            {
                break;
            }
        }

        return ContainerState.Stopped(afterPublish
            ? PublishOutcome.Unknown(
                $"The answer to threads_publish was lost and Threads did not show whether container {containerId} was published; the post may exist.")
            : PublishOutcome.Transient(
                $"Threads container {containerId} was not ready after {wait.Checks} status check(s) over {wait.Waited}; nothing was posted."));
    }

    /// <summary>The container went out, but its media id is only in the lost answer: find the post among the account's own.</summary>
    private async Task<PartResult> IdOfPublishedAsync(
        string containerId, string text, DateTimeOffset since, IReadOnlyCollection<string> earlierParts, CancellationToken cancellationToken)
    {
        var search = await ownPosts.FindAsync(text, since, earlierParts, watchFor: null, cancellationToken);
        return search.Match?.Id is { } mediaId
            ? new PartResult(mediaId, null, null)
            : PartResult.Failed(PublishOutcome.Unknown(
                $"Threads reports container {containerId} as PUBLISHED, but the post did not turn up among the account's own posts" +
                $"{(search.Problem is null ? "" : $" ({search.Problem})")}; it exists, and will be looked for again before anything is resent."));
    }

    private readonly record struct ContainerState(bool Published, PublishOutcome? Failure)
    {
        public static ContainerState Ready => new(false, null);

        public static ContainerState WentOut => new(true, null);

        public static ContainerState Stopped(PublishOutcome failure) => new(false, failure);
    }

    /// <summary>The checks and waits spent on one container: backoff from the options, on the injected clock.</summary>
    private sealed class ContainerWait(ThreadsOptions options, TimeProvider timeProvider)
    {
        private TimeSpan _next = options.StatusCheckDelay;

        public int Checks { get; private set; }

        public TimeSpan Waited { get; private set; }

        /// <summary>Takes one status check from the budget; false when none is left.</summary>
        public bool TryCheck()
        {
            if (Checks >= options.MaxStatusChecks)
            {
                return false;
            }

            Checks++;
            return true;
        }

        /// <summary>Waits the next backoff delay; false (without waiting) when it would pass the wait limit.</summary>
        public async Task<bool> DelayAsync(CancellationToken cancellationToken)
        {
            if (Waited + _next > options.StatusWaitLimit)
            {
                return false;
            }

            if (_next > TimeSpan.Zero)
            {
                await Task.Delay(_next, timeProvider, cancellationToken);
            }

            Waited += _next;
            _next = _next <= options.StatusCheckMaxDelay / 2 ? _next * 2 : options.StatusCheckMaxDelay;
            return true;
        }
    }
}

/// <summary>One part's result: its media id, or the outcome that stopped it.</summary>
internal readonly record struct PartResult(string? MediaId, PublishOutcome? Failure, int? Status)
{
    public static PartResult Failed(PublishOutcome failure) => new(null, failure, failure.HttpStatus);
}
