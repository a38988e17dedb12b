using System.Diagnostics.CodeAnalysis;

namespace Herald.Platforms;

/// <summary>
/// Finds the adapter for a platform name as a user types it. Names are compared without case and
/// without punctuation, so <c>devto</c>, <c>dev.to</c> and <c>dev_to</c> are one platform; aliases
/// such as <c>twitter</c> point at their platform. An unknown name is an error, never a silent success.
/// </summary>
public sealed class PlatformRegistry
{
    private readonly Dictionary<string, IPlatformAdapter> _byName = new(StringComparer.Ordinal);
    private readonly List<IPlatformAdapter> _adapters = [];

    public PlatformRegistry(IEnumerable<IPlatformAdapter> adapters)
    {
        foreach (var adapter in adapters)
        {
            Register(adapter);
        }
    }

    /// <summary>Every registered platform, in registration order.</summary>
    public IReadOnlyList<IPlatformAdapter> Adapters => _adapters;

    /// <summary>The canonical ids, in registration order.</summary>
    public IEnumerable<string> PlatformIds => _adapters.Select(a => a.Platform.Id);

    /// <summary>Lower-cases and drops everything but letters and digits.</summary>
    public static string Normalize(string name) =>
        string.Concat(name.Trim().ToLowerInvariant().Where(char.IsLetterOrDigit));

    public bool TryResolve(string name, [NotNullWhen(true)] out IPlatformAdapter? adapter) =>
        _byName.TryGetValue(Normalize(name), out adapter);

    /// <exception cref="UnknownPlatformException">No platform has that name.</exception>
    public IPlatformAdapter Resolve(string name) =>
        TryResolve(name, out var adapter) ? adapter : throw new UnknownPlatformException(name, PlatformIds.ToList());

    private void Register(IPlatformAdapter adapter)
    {
        var descriptor = adapter.Platform;
        if (Normalize(descriptor.Id) != descriptor.Id)
        {
            throw new InvalidOperationException(
                $"Platform id '{descriptor.Id}' must be lower-case letters and digits only.");
        }

        foreach (var name in descriptor.Aliases.Prepend(descriptor.Id).Select(Normalize).Distinct())
        {
            if (_byName.TryGetValue(name, out var existing))
            {
                throw new InvalidOperationException(
                    $"Platform name '{name}' is claimed by both '{existing.Platform.Id}' and '{descriptor.Id}'.");
            }

            _byName[name] = adapter;
        }

        _adapters.Add(adapter);
    }
}

/// <summary>A platform name that no registered adapter answers to.</summary>
public sealed class UnknownPlatformException(string name, IReadOnlyList<string> known)
    : Exception(
        $"Unknown platform '{name}'. Known platforms: {(known.Count == 0 ? "(none registered)" : string.Join(", ", known))}.")
{
    public string Name { get; } = name;
}
