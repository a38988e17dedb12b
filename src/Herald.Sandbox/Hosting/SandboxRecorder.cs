using System.Collections.Concurrent;

namespace Herald.Sandbox.Hosting;

/// <summary>One request a platform endpoint received, as it arrived, with the status it was answered with.</summary>
public sealed record RecordedRequest(
    long Sequence,
    string Platform,
    string Method,
    string Path,
    string QueryString,
    IReadOnlyDictionary<string, string> Headers,
    string Body,
    int StatusCode,
    DateTimeOffset ReceivedAt)
{
    /// <summary>True when the platform accepted it (a 2xx answer), even if the connection was then dropped.</summary>
    public bool Accepted => StatusCode is >= 200 and < 300;

    public string? Header(string name) =>
        Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
}

/// <summary>Keeps every request the platform endpoints received, in arrival order.</summary>
public sealed class SandboxRecorder
{
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private long _sequence;

    public IReadOnlyList<RecordedRequest> All => [.. _requests];

    public IReadOnlyList<RecordedRequest> For(string platform) =>
        [.. _requests.Where(r => r.Platform == platform)];

    internal long NextSequence() => Interlocked.Increment(ref _sequence);

    internal void Add(RecordedRequest request) => _requests.Enqueue(request);

    public void Clear() => _requests.Clear();
}
