using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Herald.Server.Dashboard.Setup;

/// <summary>
/// The one-time setup link of a server that has no dashboard user yet: a random token held only in this process,
/// good for creating one admin. It is never stored or logged; the server writes the link to its console once.
/// </summary>
public sealed class DashboardSetup
{
    private readonly Lock _gate = new();
    private string? _token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>The path of the setup page with this process's token, or null once it was used.</summary>
    public string? LinkPath
    {
        get
        {
            lock (_gate)
            {
                return _token is null ? null : $"/setup?token={_token}";
            }
        }
    }

    /// <summary>Whether <paramref name="candidate"/> is this process's unused token (compared in constant time).</summary>
    public bool IsValid(string? candidate)
    {
        lock (_gate)
        {
            return _token is not null && candidate is not null &&
                CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(_token), Encoding.UTF8.GetBytes(candidate));
        }
    }

    /// <summary>Uses the token up: true for the first caller with the right token, false for everyone else.</summary>
    public bool TryConsume(string? candidate)
    {
        lock (_gate)
        {
            if (!IsValid(candidate))
            {
                return false;
            }

            _token = null;
            return true;
        }
    }

    /// <summary>Gives back a token taken by <see cref="TryConsume"/> when creating the admin was refused.</summary>
    public void Restore(string consumed)
    {
        lock (_gate)
        {
            _token ??= consumed;
        }
    }
}

/// <summary>Where the server writes its setup link: the console by default (not the log, so the token lands in no log store).</summary>
public sealed class DashboardConsole(TextWriter output)
{
    public TextWriter Output { get; } = output;
}
