using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Herald.IntegrationTests.Engine;

/// <summary>Every log entry at every level, as text: category, message, exception, structured values and scopes.</summary>
internal sealed class CollectingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<string> _lines = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyList<string> Lines => [.. _lines];

    public ILogger CreateLogger(string categoryName) => new Collector(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private static string Describe(object? state) =>
        state is IEnumerable<KeyValuePair<string, object?>> values
            ? string.Join(" ", values.Select(kv => $"{kv.Key}={kv.Value}"))
            : state?.ToString() ?? "";

    private sealed class Collector(CollectingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => provider._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = new StringBuilder($"{category}[{logLevel}] {formatter(state, exception)} | {Describe(state)}");
            provider._scopes.ForEachScope((scope, builder) => builder.Append(" => ").Append(scope).Append(' ').Append(Describe(scope)), line);
            if (exception is not null)
            {
                line.Append('\n').Append(exception);
            }

            provider._lines.Enqueue(line.ToString());
        }
    }
}
