using Herald.Engine;

namespace Herald.Core.Tests.Engine;

public sealed class ErrorSanitizerTests
{
    [Fact]
    public void Sanitize_MessageWithCredential_MasksIt()
    {
        var result = ErrorSanitizer.Sanitize("Request with api-key abcd1234secret was refused", ["abcd1234secret"]);

        Assert.Equal("Request with api-key *** was refused", result);
    }

    [Fact]
    public void Sanitize_StackTrace_IsDropped()
    {
        var message = "Boom happened\n   at Herald.Foo.Bar() in /src/Foo.cs:line 10\n   at Herald.Baz()\n--- End of stack trace ---";

        Assert.Equal("Boom happened", ErrorSanitizer.Sanitize(message));
    }

    [Fact]
    public void Sanitize_LongMessage_IsCut()
    {
        var result = ErrorSanitizer.Sanitize(new string('x', 2000));

        Assert.Equal(ErrorSanitizer.MaxLength, result.Length);
        Assert.EndsWith("…", result, StringComparison.Ordinal);
    }
}
