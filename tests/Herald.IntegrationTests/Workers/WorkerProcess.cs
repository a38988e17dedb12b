using System.Diagnostics;
using System.Text;
using Herald.Testing;

namespace Herald.IntegrationTests.Workers;

/// <summary>A real <c>herald work</c> process (the CLI built beside the tests), configured through environment variables.</summary>
internal sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource _running = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private WorkerProcess(Process process) => _process = process;

    public static string CliPath
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains("/Debug/", StringComparison.Ordinal) ? "Debug" : "Release";
            var path = Path.Combine(RepositoryPaths.Root, "src", "Herald.Cli", "bin", configuration, "net10.0", "herald.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException($"Build the CLI first ({path} is missing).");
        }
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<WorkerProcess> StartAsync(IReadOnlyDictionary<string, string> environment)
    {
        var info = new ProcessStartInfo("dotnet", [CliPath, "work", "--quiet"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var worker = new WorkerProcess(new Process { StartInfo = info });
        worker._process.OutputDataReceived += (_, e) => worker.Collect(e.Data);
        worker._process.ErrorDataReceived += (_, e) => worker.Collect(e.Data);
        worker._process.Start();
        worker._process.BeginOutputReadLine();
        worker._process.BeginErrorReadLine();
        var started = await Task.WhenAny(worker._running.Task, worker._process.WaitForExitAsync(), Task.Delay(TimeSpan.FromMinutes(5)));
        if (started != worker._running.Task)
        {
            throw new InvalidOperationException($"herald work did not start:\n{worker.Output}");
        }

        return worker;
    }

    /// <summary>SIGKILL: no shutdown, no lease released, whatever was in flight is left as it was.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
    }

    private void Collect(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (line.Contains("workers running", StringComparison.Ordinal))
        {
            _running.TrySetResult();
        }
    }
}
