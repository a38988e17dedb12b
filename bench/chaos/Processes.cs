using System.Diagnostics;
using System.Globalization;

namespace Herald.Chaos;

/// <summary>One <c>herald work</c> process, restartable, optionally under a skewed clock (libfaketime).</summary>
internal sealed class WorkerProcess(int index, string cliDll, string logFile, IReadOnlyDictionary<string, string> environment, string? skew)
{
    private Process? _process;
    private readonly Stopwatch _up = new();

    public int Index { get; } = index;

    /// <summary>How long the current process has run (a loaded machine needs many seconds to start .NET).</summary>
    public TimeSpan Uptime => _up.Elapsed;

    /// <summary>The process ended by itself (not by our SIGKILL); its exit code, or null while it runs.</summary>
    public int? ExitedByItself => _process is { HasExited: true } process && !_killed ? process.ExitCode : null;

    private bool _killed;

    public string? Skew { get; } = skew;

    public bool Stopped { get; private set; }

    public int Pid => _process?.Id ?? 0;

    public void Start()
    {
        // exec: the pid we hold is the worker's own, so SIGKILL and SIGSTOP reach it and nothing else.
        var info = new ProcessStartInfo("bash", ["-c", "exec dotnet \"$0\" work >> \"$1\" 2>&1", cliDll, logFile]) { UseShellExecute = false };
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        if (Skew is { Length: > 0 })
        {
            info.Environment["LD_PRELOAD"] = Faketime.Library ?? throw new InvalidOperationException("--skew: libfaketime is not installed (apt-get install faketime)");
            info.Environment["FAKETIME"] = Skew;
            // The monotonic clock is shifted too, on purpose. With it left alone (FAKETIME_DONT_FAKE_MONOTONIC=1),
            // libfaketime 0.9.10 still moves the deadlines of timed waits on a monotonic condition variable, so
            // .NET's Monitor.Wait(700 ms) returns at once — and with it the timeout of every synchronous socket
            // read, which failed the worker's PostgreSQL reads ("TimeoutException: Exception while reading from
            // stream") within a second. A constant shift of the monotonic clock is invisible to Herald, which only
            // measures intervals on it; real clock skew (NTP) moves the wall clock alone, as here.
        }

        File.AppendAllText(logFile, $"--- start {Stamp()} ---\n");
        _process = Process.Start(info) ?? throw new InvalidOperationException("could not start herald work");
        _killed = false;
        _up.Restart();
        Stopped = false;
    }

    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            _killed = true;
            process.Kill(); // SIGKILL
            process.WaitForExit(10_000);
        }

        File.AppendAllText(logFile, $"--- SIGKILL {Stamp()} ---\n");
        Stopped = false;
    }

    public void Pause()
    {
        Signal("STOP");
        Stopped = true;
        File.AppendAllText(logFile, $"--- SIGSTOP {Stamp()} ---\n");
    }

    public void Resume()
    {
        Signal("CONT");
        Stopped = false;
        File.AppendAllText(logFile, $"--- SIGCONT {Stamp()} ---\n");
    }

    /// <summary>Ends the run: SIGCONT first (a stopped process cannot handle SIGTERM), then SIGKILL.</summary>
    public void Finish()
    {
        if (Stopped)
        {
            Resume();
        }

        if (_process is { HasExited: false } process)
        {
            _killed = true;
            process.Kill();
            process.WaitForExit(10_000);
        }
    }

    private void Signal(string signal)
    {
        if (_process is { HasExited: false } process)
        {
            Shell.Run("kill", "-" + signal, process.Id.ToString(CultureInfo.InvariantCulture));
        }
    }

    private static string Stamp() => TimeProvider.System.GetUtcNow().ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);
}

internal static class Faketime
{
    public static string? Library =>
        new[] { "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1", "/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1", "/usr/lib/faketime/libfaketime.so.1" }
            .FirstOrDefault(File.Exists);
}

internal static class Shell
{
    /// <summary>Runs a command to its end and returns its standard output; throws with its error output when it fails.</summary>
    public static string Run(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0
            ? output.Result
            : throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {process.ExitCode}: {error.Trim()}");
    }
}

/// <summary>The standalone sandbox: <c>herald sandbox --no-rate-limits --faults …</c> on a free port.</summary>
internal sealed class SandboxProcess(string cliDll, string logFile) : IAsyncDisposable
{
    private Process? _process;

    public Uri BaseAddress { get; private set; } = null!;

    public async Task StartAsync(int port, string faultsJson, int seed, HttpClient http, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(
            "bash",
            ["-c", "exec dotnet \"$0\" sandbox --port \"$1\" --no-rate-limits --seed \"$2\" --faults \"$3\" >> \"$4\" 2>&1",
             cliDll, port.ToString(CultureInfo.InvariantCulture), seed.ToString(CultureInfo.InvariantCulture), faultsJson, logFile])
        { UseShellExecute = false };
        _process = Process.Start(info) ?? throw new InvalidOperationException("could not start herald sandbox");
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(BaseAddress, "_sandbox/"), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (waited.Elapsed < TimeSpan.FromSeconds(60) && !_process.HasExited)
            {
                await Task.Delay(250, cancellationToken);
            }
        }
    }

    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            process.WaitForExit(10_000);
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        return ValueTask.CompletedTask;
    }
}
