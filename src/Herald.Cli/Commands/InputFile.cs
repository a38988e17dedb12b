using Herald.Cli.Configuration;

namespace Herald.Cli.Commands;

/// <summary>The Markdown file <c>post</c> and <c>preview</c> read: refused before anything else, saying what is wrong with it.</summary>
internal static class InputFile
{
    public static void Check(FileInfo file)
    {
        if (Directory.Exists(file.FullName))
        {
            throw new CliInputException($"file: '{file.FullName}' is a directory, not a Markdown file");
        }

        if (!file.Exists)
        {
            throw new CliInputException($"file: '{file.FullName}' does not exist");
        }
    }
}
