namespace Herald.Cli.Accounts;

/// <summary>
/// Questions a command asks a person at a terminal: answers shown as typed (<see cref="Ask"/>) or never shown
/// (<see cref="AskSecret"/>). Without a terminal (<see cref="Interactive"/> false) commands take flags only.
/// </summary>
internal interface IPrompt
{
    bool Interactive { get; }

    /// <summary>The answer, or <paramref name="defaultValue"/> for an empty one.</summary>
    string Ask(string question, string defaultValue);

    /// <summary>The answer, typed without echo; empty when the person just pressed Enter.</summary>
    string AskSecret(string question);
}

/// <summary>The process's terminal: questions on stderr, answers from the keyboard; interactive only when neither is redirected.</summary>
internal sealed class ConsolePrompt : IPrompt
{
    public static ConsolePrompt Instance { get; } = new();

    public bool Interactive => !Console.IsInputRedirected && !Console.IsErrorRedirected;

    public string Ask(string question, string defaultValue)
    {
        Console.Error.Write(defaultValue.Length == 0 ? $"{question}: " : $"{question} [{defaultValue}]: ");
        var answer = Console.ReadLine()?.Trim();
        return string.IsNullOrEmpty(answer) ? defaultValue : answer;
    }

    public string AskSecret(string question)
    {
        Console.Error.Write($"{question} (hidden): ");
        var typed = new System.Text.StringBuilder();
        while (true)
        {
            // intercept: the key is not written to the terminal; nothing stands for it either (not even its length).
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                break;
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                typed.Length = Math.Max(0, typed.Length - 1);
            }
            else if (!char.IsControl(key.KeyChar))
            {
                typed.Append(key.KeyChar);
            }
        }

        Console.Error.WriteLine();
        return typed.ToString().Trim();
    }
}
