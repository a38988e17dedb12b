using System.Text;
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

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // Review m1: the cut fell between the halves of an emoji, and PostgreSQL refused the outcome row.
    [Fact]
    public void Sanitize_EmojiAcrossTheCut_CutsBeforeItSoTheTextEncodesAsUtf8()
    {
        var message = new string('x', ErrorSanitizer.MaxLength - 2) + "🎉 and more after the emoji";

        var result = ErrorSanitizer.Sanitize(message);

        Assert.Equal(new string('x', ErrorSanitizer.MaxLength - 2) + "…", result);
        StrictUtf8.GetBytes(result);
    }

    [Fact]
    public void Sanitize_ZwjFamilyAcrossTheCut_KeepsItWholeOrDropsItWhole()
    {
        const string family = "\U0001F468\u200D\U0001F469\u200D\U0001F467";
        for (var prefix = ErrorSanitizer.MaxLength - family.Length - 2; prefix < ErrorSanitizer.MaxLength; prefix++)
        {
            var result = ErrorSanitizer.Sanitize(new string('x', prefix) + family + new string('y', 100));

            Assert.True(result.Length <= ErrorSanitizer.MaxLength, $"prefix {prefix}: length {result.Length}");
            var kept = result.TrimEnd('…').TrimEnd('y');
            Assert.True(kept.EndsWith(family, StringComparison.Ordinal) || kept == new string('x', prefix), $"prefix {prefix}: the family was cut");
            StrictUtf8.GetBytes(result);
        }
    }

    [Fact]
    public void Sanitize_IndicConjunctAcrossTheCut_KeepsItWholeOrDropsItWhole()
    {
        // "न्दी" is one grapheme by Unicode 15.1's rule GB9c; .NET's StringInfo would cut after the virama.
        const string conjunct = "\u0928\u094D\u0926\u0940";
        for (var prefix = ErrorSanitizer.MaxLength - conjunct.Length - 2; prefix < ErrorSanitizer.MaxLength; prefix++)
        {
            var result = ErrorSanitizer.Sanitize(new string('x', prefix) + conjunct + new string('y', 100));

            var kept = result.TrimEnd('…').TrimEnd('y');
            Assert.True(kept.EndsWith(conjunct, StringComparison.Ordinal) || kept == new string('x', prefix), $"prefix {prefix}: the conjunct was cut: {kept[prefix..]}");
        }
    }

    // Built in code: xunit's attribute data cannot carry a lone surrogate.
    [Theory]
    [InlineData(0xD83C)]
    [InlineData(0xDF89)]
    [InlineData(0)]
    public void Sanitize_InvalidUtf16OrNul_IsReplacedSoEveryDatabaseTakesIt(int character)
    {
        var message = $"A {(char)character} in a platform message";

        var result = ErrorSanitizer.Sanitize(message);

        Assert.Contains('\uFFFD', result);
        Assert.DoesNotContain('\0', result);
        StrictUtf8.GetBytes(result);
    }
}
