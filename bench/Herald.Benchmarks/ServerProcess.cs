using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace Herald.Benchmarks;

/// <summary><c>herald serve --role api</c> in its own process, on a free loopback port, with the per-key limit lifted.</summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private long _peakKb;

    private ServerProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public int Pid => _process.Id;

    public long PeakRssMb => Math.Max(Interlocked.Read(ref _peakKb), ProcessStatus.Kb(_process.Id, "VmHWM:")) / 1024;

    public static async Task<ServerProcess> StartAsync(string connectionString, string credentialKey)
    {
        var port = FreePort();
        var address = new Uri($"http://127.0.0.1:{port}/");
        var info = new ProcessStartInfo("dotnet", [BenchPaths.HeraldCli, "serve", "--role", "api", "--urls", address.ToString().TrimEnd('/')])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["Herald__Database"] = connectionString;
        info.Environment["Herald__CredentialKey"] = credentialKey;
        // 50 clients on one key would meet the per-key limit (600 a minute) at once: what is measured is the API's cost.
        info.Environment["Herald__Server__RateLimitPermits"] = "100000000";
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ServerProcess(process, address);
        using var probe = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"herald serve exited with {process.ExitCode} before it was ready.");
            }

            try
            {
                if ((await probe.GetAsync(new Uri("health/ready", UriKind.Relative))).IsSuccessStatusCode)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            if (deadline.Elapsed > TimeSpan.FromMinutes(2))
            {
                await server.DisposeAsync();
                throw new TimeoutException("herald serve was not ready within two minutes.");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>Reads VmRSS every 200 ms until cancelled, keeping the highest.</summary>
    public async Task SampleRssAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var kb = ProcessStatus.Kb(_process.Id, "VmRSS:");
            if (kb > Interlocked.Read(ref _peakKb))
            {
                Interlocked.Exchange(ref _peakKb, kb);
            }

            await Task.Delay(200, CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>A field of <c>/proc/&lt;pid&gt;/status</c> in kB (VmRSS, VmHWM); 0 once the process is gone.</summary>
internal static class ProcessStatus
{
    public static long Kb(int pid, string field)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }
}

/// <summary>
/// CPU time used so far (user and system, from <c>/proc/&lt;pid&gt;/stat</c>), by one process or by every PostgreSQL
/// process on the machine: taken before and after a load, it says how much CPU each request cost each side. Zero where
/// <c>/proc</c> cannot be read.
/// </summary>
internal static class ProcessCpu
{
    private const double TicksPerSecond = 100; // USER_HZ on Linux

    /// <summary>The process's own CPU time.</summary>
    public static TimeSpan Of(int pid) => Read(pid, withReapedChildren: false);

    /// <summary>
    /// Every process named <c>postgres</c> together, with the time of the backends that have already exited (the
    /// postmaster counts its reaped children's time as its own), so the sum only grows.
    /// </summary>
    public static TimeSpan OfPostgres()
    {
        try
        {
            return Directory.EnumerateDirectories("/proc")
                .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
                .Where(pid => pid > 0 && Command(pid) == "postgres")
                .Aggregate(TimeSpan.Zero, (sum, pid) => sum + Read(pid, withReapedChildren: true));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return TimeSpan.Zero;
        }
    }

    private static TimeSpan Read(int pid, bool withReapedChildren)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The fields after the command name (which may hold spaces, in parentheses): utime, stime, cutime and cstime
            // are the 14th to 17th.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            if (withReapedChildren)
            {
                ticks += long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture);
            }

            return TimeSpan.FromSeconds(ticks / TicksPerSecond);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return TimeSpan.Zero;
        }
    }

    private static string? Command(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
