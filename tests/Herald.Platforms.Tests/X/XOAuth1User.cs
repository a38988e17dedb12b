using Herald.Accounts;
using Herald.Sandbox.X;

namespace Herald.Platforms.Tests.X;

/// <summary>A fresh sandbox X user signing in with OAuth 1.0a: its own app (consumer) and access token.</summary>
internal sealed record XOAuth1User(XSandboxUser User, string ConsumerKey, string ConsumerSecret, string Token, string TokenSecret)
{
    public static XOAuth1User Add(XState x, string username)
    {
        var user = x.AddUser(username);
        var signer = new XOAuth1User(user, $"ck-{user.Id}", $"cs-{Guid.NewGuid():N}", $"{user.Id}-tok", $"ts-{Guid.NewGuid():N}");
        x.AddConsumer(signer.ConsumerKey, signer.ConsumerSecret);
        x.AddOAuth1Token(user, signer.ConsumerKey, signer.Token, signer.TokenSecret);
        return signer;
    }

    public AccountCredentials Credentials => new()
    {
        ["consumer_key"] = ConsumerKey,
        ["consumer_secret"] = ConsumerSecret,
        ["access_token"] = Token,
        ["access_token_secret"] = TokenSecret,
    };

    /// <summary>Never prints a secret.</summary>
    public override string ToString() => $"OAuth 1.0a user {User.Username}";
}
