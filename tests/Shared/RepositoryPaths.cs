namespace Herald.Testing;

/// <summary>Where the repository is, for tests that read its files or run its build output.</summary>
internal static class RepositoryPaths
{
    /// <summary>The folder holding Herald.slnx, found upwards from the test's output folder.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Herald.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Herald.slnx above {AppContext.BaseDirectory}; run the tests from a clone of the repository.");
    }
}
