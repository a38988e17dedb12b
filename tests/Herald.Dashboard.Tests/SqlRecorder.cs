using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Herald.Dashboard.Tests;

/// <summary>
/// The SQL that EF Core sends from the code run inside <see cref="Start"/> (the same async flow only, so tests running
/// beside it are not recorded), read from EF Core's diagnostic events. A context caches whether anyone listens for up
/// to a second, so call <see cref="Listen"/> before the test builds its contexts.
/// </summary>
internal sealed class SqlRecorder : IDisposable
{
    private static readonly AsyncLocal<SqlRecorder?> Current = new();

    private static readonly IDisposable Subscription = DiagnosticListener.AllListeners.Subscribe(new Listeners());

    private readonly ConcurrentQueue<string> _commands = new();

    private SqlRecorder()
    {
    }

    public IReadOnlyList<string> Commands => [.. _commands];

    /// <summary>Subscribes to EF Core's events for the rest of the run (once; recording needs <see cref="Start"/>).</summary>
    public static void Listen() => GC.KeepAlive(Subscription);

    public static SqlRecorder Start()
    {
        Listen();
        var recorder = new SqlRecorder();
        Current.Value = recorder;
        return recorder;
    }

    public void Dispose() => Current.Value = null;

    private sealed class Listeners : IObserver<DiagnosticListener>
    {
        public void OnNext(DiagnosticListener value)
        {
            if (value.Name == DbLoggerCategory.Name)
            {
                value.Subscribe(new CommandEvents());
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }

    private sealed class CommandEvents : IObserver<KeyValuePair<string, object?>>
    {
        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value.Key == RelationalEventId.CommandExecuting.Name && value.Value is CommandEventData data && Current.Value is { } recorder)
            {
                recorder._commands.Enqueue(data.Command.CommandText);
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }
}
