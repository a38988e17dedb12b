using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Herald.Accounts;

namespace Herald.Storage.Security;

/// <summary>
/// Encrypts account credentials at rest with AES-GCM. The stored form is <c>v2:</c> followed by
/// base64(account id ‖ nonce ‖ tag ‖ ciphertext) of the credentials' JSON, the account id being the associated
/// data: a blob copied into another account's row does not pass as that account's. The first form, <c>v1:</c>
/// base64(nonce ‖ tag ‖ ciphertext) without associated data, stays readable and is rewritten at the next save.
/// A wrong key or a damaged blob fails with <see cref="CredentialsUnreadableException"/>, never with garbage.
/// </summary>
public sealed class CredentialProtector
{
    private const string UnboundPrefix = "v1:";
    private const string BoundPrefix = "v2:";
    private const int IdSize = 16;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly byte[] _key;

    public CredentialProtector(byte[] key)
    {
        if (key.Length != 32)
        {
            throw new ArgumentException($"The credential key must be 32 bytes (it has {key.Length}).", nameof(key));
        }

        _key = key;
        KeyId = Convert.ToHexString(SHA256.HashData(key))[..16];
    }

    /// <summary>A fingerprint of the key (never the key), to tell models built for different keys apart.</summary>
    public string KeyId { get; }

    /// <summary>What is wrong with the key file this protector was read from (it is readable by others); null when nothing is.</summary>
    public string? KeyFileWarning { get; private init; }

    public static CredentialProtector FromBase64(string base64, string settingName)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(base64.Trim());
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"{settingName} must be a base64 string of 32 random bytes (e.g. from `openssl rand -base64 32`).");
        }

        return key.Length == 32
            ? new CredentialProtector(key)
            : throw new InvalidOperationException($"{settingName} must decode to 32 bytes; it decodes to {key.Length}.");
    }

    /// <summary>
    /// Reads the key file, creating it on first use: the key is written to a temporary file readable by its owner
    /// only, then moved into place without overwriting, while holding a lock file. A process that starts at the same
    /// moment reads the winner's key; nobody ever sees an empty or half-written key file. An existing key file that
    /// others can read is used, with <see cref="KeyFileWarning"/> saying so.
    /// </summary>
    public static CredentialProtector FromKeyFile(string path)
    {
        if (!File.Exists(path))
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
            CreatePrivateDirectory(directory);
            // Creation is serialised by a lock file (an OS lock, released if the process dies), because a move that
            // must not overwrite is not atomic on every file system. Whoever holds it first writes the key; the
            // others find it in place. The lock file goes once the key is there.
            using var creating = HoldCreationLock(path + ".lock");
            if (!File.Exists(path))
            {
                var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = OwnerOnly;
                }

                try
                {
                    using (var stream = new FileStream(temporary, options))
                    {
                        stream.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))));
                        stream.Flush(flushToDisk: true);
                    }

                    File.Move(temporary, path, overwrite: false);
                }
                finally
                {
                    File.Delete(temporary);
                }
            }
        }

        var protector = FromBase64(File.ReadAllText(path), $"The key file {path}");
        return OperatingSystem.IsWindows() || (File.GetUnixFileMode(path) & ~OwnerOnly) == 0
            ? protector
            : new CredentialProtector(protector._key) { KeyFileWarning = ModeWarning(path) };
    }

    private static FileStream HoldCreationLock(string lockPath)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.OpenOrCreate,
            Access = FileAccess.ReadWrite,
            Share = FileShare.None,
            Options = FileOptions.DeleteOnClose,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }

        for (var waited = 0; ; waited++)
        {
            try
            {
                return new FileStream(lockPath, options);
            }
            catch (IOException) when (waited < 500)
            {
                // Another process is writing the key: it takes milliseconds.
                Thread.Sleep(20);
            }
        }
    }

    /// <summary>Creates <paramref name="directory"/> (and its missing parents) readable by its owner only.</summary>
    internal static void CreatePrivateDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else if (!Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    /// <summary>Encrypts <paramref name="credentials"/>, bound to their <see cref="AccountCredentials.Owner"/> when they have one.</summary>
    public string Protect(AccountCredentials credentials)
    {
        var plain = JsonSerializer.SerializeToUtf8Bytes(credentials.ToDictionary(kv => kv.Key, kv => kv.Value));
        var idSize = credentials.Owner is null ? 0 : IdSize;
        var output = new byte[idSize + NonceSize + TagSize + plain.Length];
        var owner = output.AsSpan(0, idSize);
        if (credentials.Owner is { } id)
        {
            id.Value.ToByteArray().CopyTo(owner);
        }

        var nonce = output.AsSpan(idSize, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, plain, output.AsSpan(idSize + NonceSize + TagSize), output.AsSpan(idSize + NonceSize, TagSize), owner);
        return (idSize == 0 ? UnboundPrefix : BoundPrefix) + Convert.ToBase64String(output);
    }

    /// <summary>Decrypts a stored blob; the result's <see cref="AccountCredentials.Owner"/> is the account it is bound to.</summary>
    /// <exception cref="CredentialsUnreadableException">The blob was written with another key, or is damaged.</exception>
    public AccountCredentials Unprotect(string stored)
    {
        var idSize = stored.StartsWith(BoundPrefix, StringComparison.Ordinal) ? IdSize
            : stored.StartsWith(UnboundPrefix, StringComparison.Ordinal) ? 0
            : throw new CredentialsUnreadableException("cannot be decrypted (the stored value is in an unknown format)");
        var buffer = new byte[stored.Length];
        var input = Convert.TryFromBase64String(stored[3..], buffer, out var length)
            ? buffer[..length]
            : throw new CredentialsUnreadableException("cannot be decrypted (the stored value is damaged: not base64)");
        if (length < idSize + NonceSize + TagSize)
        {
            throw new CredentialsUnreadableException("cannot be decrypted (the stored value is damaged: too short)");
        }

        var owner = input.AsSpan(0, idSize);
        var plain = new byte[input.Length - idSize - NonceSize - TagSize];
        using var aes = new AesGcm(_key, TagSize);
        try
        {
            aes.Decrypt(input.AsSpan(idSize, NonceSize), input.AsSpan(idSize + NonceSize + TagSize), input.AsSpan(idSize + NonceSize, TagSize), plain, owner);
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new CredentialsUnreadableException("cannot be decrypted with this worker's key");
        }

        Dictionary<string, string>? values;
        try
        {
            values = JsonSerializer.Deserialize<Dictionary<string, string>>(plain);
        }
        catch (JsonException)
        {
            throw new CredentialsUnreadableException("cannot be decrypted (the stored value is damaged: not the expected JSON)");
        }

        return new AccountCredentials(values ?? []) { Owner = idSize == 0 ? null : new AccountId(new Guid(owner)) };
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static string ModeWarning(string path)
    {
        var mode = Convert.ToString((int)File.GetUnixFileMode(path), 8);
        return $"The key file {path} has mode {mode}: other local users can read the key that decrypts every stored credential. " +
               $"Run `chmod 600 {path}`.";
    }
}

/// <summary>Stored credentials this process cannot read: written with another key, or damaged.</summary>
public sealed class CredentialsUnreadableException(string problem)
    : InvalidOperationException($"Stored credentials {problem}.")
{
    /// <summary>What is wrong, as in "cannot be decrypted with this worker's key".</summary>
    public string Problem { get; } = problem;
}
