using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Herald.Accounts;

namespace Herald.Storage.Security;

/// <summary>
/// Encrypts account credentials at rest with AES-GCM. The stored form is <c>v1:</c> followed by
/// base64(nonce ‖ tag ‖ ciphertext) of the credentials' JSON; a wrong key fails loudly instead of
/// yielding garbage.
/// </summary>
public sealed class CredentialProtector
{
    private const string Prefix = "v1:";
    private const int NonceSize = 12;
    private const int TagSize = 16;
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

    /// <summary>Reads the key file, creating it (readable by its owner only) on first use.</summary>
    public static CredentialProtector FromKeyFile(string path)
    {
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            var fresh = RandomNumberGenerator.GetBytes(32);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            try
            {
                using var stream = new FileStream(path, options);
                stream.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(fresh)));
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process created it first: use theirs.
            }
        }

        return FromBase64(File.ReadAllText(path), $"The key file {path}");
    }

    public string Protect(AccountCredentials credentials)
    {
        var plain = JsonSerializer.SerializeToUtf8Bytes(credentials.ToDictionary(kv => kv.Key, kv => kv.Value));
        var output = new byte[NonceSize + TagSize + plain.Length];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, plain, output.AsSpan(NonceSize + TagSize), output.AsSpan(NonceSize, TagSize));
        return Prefix + Convert.ToBase64String(output);
    }

    public AccountCredentials Unprotect(string stored)
    {
        if (!stored.StartsWith(Prefix, StringComparison.Ordinal))
        {
            throw new InvalidOperationException("Stored credentials are in an unknown format.");
        }

        var input = Convert.FromBase64String(stored[Prefix.Length..]);
        var plain = new byte[input.Length - NonceSize - TagSize];
        using var aes = new AesGcm(_key, TagSize);
        try
        {
            aes.Decrypt(input.AsSpan(0, NonceSize), input.AsSpan(NonceSize + TagSize), input.AsSpan(NonceSize, TagSize), plain);
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new InvalidOperationException(
                "Stored credentials cannot be decrypted with the configured key (Herald:CredentialKey or the herald.key file). " +
                "Use the key the database was written with.");
        }

        var values = JsonSerializer.Deserialize<Dictionary<string, string>>(plain) ?? [];
        return new AccountCredentials(values);
    }
}
