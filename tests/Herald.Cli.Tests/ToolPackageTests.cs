using System.Diagnostics;
using System.IO.Compression;
using System.Xml.Linq;

namespace Herald.Cli.Tests;

/// <summary>Herald installs as a .NET tool: <c>dotnet pack</c> of the CLI gives a tool package whose command is <c>herald</c>.</summary>
public sealed class ToolPackageTests
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    [Fact]
    public async Task Pack_TheCli_GivesAToolPackageWithTheHeraldCommand()
    {
        var output = Directory.CreateTempSubdirectory("herald-pack-").FullName;
        try
        {
            // --no-build packs what this test run was built from: seconds, not a second build; --no-restore, because
            // that build restored it.
            var pack = Process.Start(new ProcessStartInfo("dotnet",
                ["pack", Path.Combine(CliRun.RepositoryRoot, "src", "Herald.Cli"), "--no-build", "--no-restore", "-c", Configuration, "-o", output, "--nologo"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var log = await pack.StandardOutput.ReadToEndAsync() + await pack.StandardError.ReadToEndAsync();
            await pack.WaitForExitAsync();
            Assert.True(pack.ExitCode == 0, log);

            var package = Assert.Single(Directory.GetFiles(output, "*.nupkg"));
            using var zip = ZipFile.OpenRead(package);
            var settings = zip.Entries.Single(e => e.FullName.EndsWith("DotnetToolSettings.xml", StringComparison.Ordinal));
            using var stream = settings.Open();
            var command = XDocument.Load(stream).Descendants("Command").Single();
            Assert.Equal("herald", command.Attribute("Name")?.Value);
            Assert.Equal("herald.dll", command.Attribute("EntryPoint")?.Value);
            Assert.Contains(zip.Entries, e => e.FullName.EndsWith("/herald.dll", StringComparison.Ordinal));
            Assert.Contains(zip.Entries, e => e.FullName.EndsWith("/Herald.Sandbox.dll", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    [Fact]
    public async Task Version_PrintsTheVersionAndExitsZero()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await HeraldCommandLine.InvokeAsync(["--version"], output, error);

        Assert.Equal(0, exitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", output.ToString());
    }
}
