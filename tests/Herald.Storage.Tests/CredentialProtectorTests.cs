using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text.Json;
using Herald.Accounts;
using Herald.Publications;
using Herald.Storage.Security;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Storage.Tests;

/// <summary>The key file, the files Herald creates beside it, and the encrypted form of credentials.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class CredentialProtectorTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("herald-key-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task FromKeyFile_ManyProcessesStartAtOnce_AllReadTheWinnersKey()
    {
        // Regression: a second process racing the first could read the key file before the key was written (0 bytes).
        for (var round = 0; round < 40; round++)
        {
            var path = Path.Combine(_directory, $"race-{round}", "herald.key");
            using var start = new ManualResetEventSlim();
            var racers = Enumerable.Range(0, 6).Select(_ => Task.Run(() =>
            {
                start.Wait();
                return CredentialProtector.FromKeyFile(path).KeyId;
            })).ToList();
            start.Set();

            var keyIds = await Task.WhenAll(racers);

            Assert.Single(keyIds.Distinct());
            Assert.Equal(keyIds[0], CredentialProtector.FromKeyFile(path).KeyId);
        }
    }

    [Fact]
    public void FromKeyFile_NewKey_IsReadableByItsOwnerOnlyAndLeavesNoTemporaryFile()
    {
        var path = Path.Combine(_directory, "fresh", "herald.key");

        var protector = CredentialProtector.FromKeyFile(path);

        Assert.Null(protector.KeyFileWarning);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(["herald.key"], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
    }

    [Fact]
    public void FromKeyFile_ExistingKeyReadableByOthers_WarnsWithTheModeAndTheFix()
    {
        var path = Path.Combine(_directory, "herald.key");
        CredentialProtector.FromKeyFile(path);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var protector = CredentialProtector.FromKeyFile(path);

        Assert.NotNull(protector.KeyFileWarning);
        Assert.Contains("644", protector.KeyFileWarning, StringComparison.Ordinal);
        Assert.Contains("chmod 600", protector.KeyFileWarning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MigrateHeraldDatabase_NewSqliteFolder_FolderIs0700AndDatabaseFilesAre0600()
    {
        // Regression: the folder and the database were created with the umask (0755/0644), readable by other local users.
        var folder = Path.Combine(_directory, "data", "herald");
        await using var services = new ServiceCollection()
            .AddHeraldStorage($"Data Source={Path.Combine(folder, "herald.db")}")
            .BuildServiceProvider();

        await services.MigrateHeraldDatabaseAsync();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
        var ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        Assert.Equal(ownerOnly, File.GetUnixFileMode(Path.Combine(folder, "herald.db")));
        Assert.Equal(ownerOnly, File.GetUnixFileMode(Path.Combine(folder, "herald.key")));
        Assert.All(Directory.GetFiles(folder, "herald.db-*"), f => Assert.Equal(ownerOnly, File.GetUnixFileMode(f)));
    }

    [Fact]
    public async Task GetAccount_CredentialsWrittenBeforeTheyWereBoundToTheAccount_StayReadable()
    {
        var folder = Path.Combine(_directory, "v1");
        var key = RandomNumberGenerator.GetBytes(32);
        await using var services = new ServiceCollection()
            .AddHeraldStorage($"Data Source={Path.Combine(folder, "herald.db")}", Convert.ToBase64String(key))
            .BuildServiceProvider();
        await services.MigrateHeraldDatabaseAsync();
        var account = new Account { Platform = "devto", DisplayName = "old-format", Credentials = new AccountCredentials { ["api_key"] = "k" } };
        await using (var scope = services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<IPublicationStore>().UpsertAccountAsync(account);
            await scope.ServiceProvider.GetRequiredService<HeraldDbContext>().Database.ExecuteSqlRawAsync(
                "UPDATE accounts SET credentials = {0}", VersionOneBlob(key, new Dictionary<string, string> { ["api_key"] = "old-secret" }));
        }

        await using var read = services.CreateAsyncScope();
        var loaded = await read.ServiceProvider.GetRequiredService<IPublicationStore>().GetAccountAsync(account.Id);

        Assert.Null(loaded!.Credentials.UnreadableReason);
        Assert.Equal("old-secret", loaded.Credentials["api_key"]);
    }

    /// <summary>The first stored form: <c>v1:</c> base64(nonce ‖ tag ‖ ciphertext), no associated data.</summary>
    private static string VersionOneBlob(byte[] key, Dictionary<string, string> values)
    {
        var plain = JsonSerializer.SerializeToUtf8Bytes(values);
        var output = new byte[12 + 16 + plain.Length];
        RandomNumberGenerator.Fill(output.AsSpan(0, 12));
        using var aes = new AesGcm(key, 16);
        aes.Encrypt(output.AsSpan(0, 12), plain, output.AsSpan(28), output.AsSpan(12, 16));
        return "v1:" + Convert.ToBase64String(output);
    }
}
