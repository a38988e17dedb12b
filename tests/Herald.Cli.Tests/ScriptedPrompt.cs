using Herald.Cli.Accounts;

namespace Herald.Cli.Tests;

/// <summary>A person at a terminal who gives the answers in order and whose questions are recorded.</summary>
internal sealed class ScriptedPrompt(params string[] answers) : IPrompt
{
    private readonly Queue<string> _answers = new(answers);

    public List<string> Questions { get; } = [];

    public List<string> SecretQuestions { get; } = [];

    public bool Interactive => true;

    public string Ask(string question, string defaultValue)
    {
        Questions.Add(question);
        var answer = _answers.Count > 0 ? _answers.Dequeue() : "";
        return answer.Length == 0 ? defaultValue : answer;
    }

    public string AskSecret(string question)
    {
        SecretQuestions.Add(question);
        return _answers.Count > 0 ? _answers.Dequeue() : "";
    }
}

/// <summary>No terminal: output redirected, as in a script or CI.</summary>
internal sealed class NoTerminal : IPrompt
{
    public bool Interactive => false;

    public string Ask(string question, string defaultValue) => throw new InvalidOperationException($"asked '{question}' without a terminal");

    public string AskSecret(string question) => throw new InvalidOperationException($"asked '{question}' without a terminal");
}
