using Herald.Platforms.X;

namespace Herald.Platforms.Tests.X;

/// <summary>The OAuth 1.0a HMAC-SHA1 signer against published examples (Twitter's "Creating a signature" and RFC 5849 §1.2).</summary>
public sealed class XOAuth1SignerTests
{
    [Fact]
    public void SignatureBaseStringAndSign_TwitterDocsExample_MatchThePublishedValues()
    {
        // developer.twitter.com "Creating a signature": a form-encoded status update (form parameters are signed).
        var url = new Uri("https://api.twitter.com/1.1/statuses/update.json?include_entities=true");
        var parameters = new Dictionary<string, string>
        {
            ["status"] = "Hello Ladies + Gentlemen, a signed OAuth request!",
            ["oauth_consumer_key"] = "xvz1evFS4wEEPTGEFPHBog",
            ["oauth_nonce"] = "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg",
            ["oauth_signature_method"] = "HMAC-SHA1",
            ["oauth_timestamp"] = "1318622958",
            ["oauth_token"] = "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb",
            ["oauth_version"] = "1.0",
            ["include_entities"] = "true",
        };

        var baseString = XOAuth1Signer.SignatureBaseString("POST", url, parameters);

        Assert.Equal(
            "POST&https%3A%2F%2Fapi.twitter.com%2F1.1%2Fstatuses%2Fupdate.json&include_entities%3Dtrue%26oauth_consumer_key%3Dxvz1evFS4wEEPTGEFPHBog" +
            "%26oauth_nonce%3DkYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1318622958" +
            "%26oauth_token%3D370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb%26oauth_version%3D1.0" +
            "%26status%3DHello%2520Ladies%2520%252B%2520Gentlemen%252C%2520a%2520signed%2520OAuth%2520request%2521",
            baseString);
        Assert.Equal(
            "hCtSmYh+iHYCEqBWrE7C7hYmtUk=",
            XOAuth1Signer.Sign(baseString, "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw", "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE"));
    }

    [Fact]
    public void AuthorizationHeader_TwitterDocsExample_CarriesThePublishedSignature()
    {
        var credentials = new XOAuth1Credentials(
            "xvz1evFS4wEEPTGEFPHBog", "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
            "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb", "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE");

        var header = XOAuth1Signer.AuthorizationHeader(
            "POST",
            new Uri("https://api.twitter.com/1.1/statuses/update.json?include_entities=true"),
            credentials,
            "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg",
            1318622958,
            [new("status", "Hello Ladies + Gentlemen, a signed OAuth request!")]);

        Assert.Equal(
            "OAuth oauth_consumer_key=\"xvz1evFS4wEEPTGEFPHBog\", oauth_nonce=\"kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg\", " +
            "oauth_signature=\"hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D\", oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"1318622958\", " +
            "oauth_token=\"370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb\", oauth_version=\"1.0\"",
            header);
    }

    [Fact]
    public void Sign_Rfc5849PhotosExample_MatchesThePublishedSignature()
    {
        // RFC 5849 §1.2, the final request for the photo (no oauth_version).
        var parameters = new Dictionary<string, string>
        {
            ["oauth_consumer_key"] = "dpf43f3p2l4k3l03",
            ["oauth_token"] = "nnch734d00sl2jdk",
            ["oauth_signature_method"] = "HMAC-SHA1",
            ["oauth_timestamp"] = "137131202",
            ["oauth_nonce"] = "chapoH",
            ["file"] = "vacation.jpg",
            ["size"] = "original",
        };

        var baseString = XOAuth1Signer.SignatureBaseString("GET", new Uri("http://photos.example.net/photos"), parameters);

        Assert.Equal("MdpQcU8iPSUjWoN/UDMsK2sui9I=", XOAuth1Signer.Sign(baseString, "kd94hf93k423kf44", "pfkkdhi9sl3r4s00"));
    }

    [Fact]
    public void SignatureBaseString_PortAndQuery_KeepsANonDefaultPortAndSignsTheQuery()
    {
        var baseString = XOAuth1Signer.SignatureBaseString(
            "get", new Uri("HTTP://Example.COM:8080/2/users/1/tweets?max_results=100&tweet.fields=a,b"), []);

        Assert.Equal("GET&http%3A%2F%2Fexample.com%3A8080%2F2%2Fusers%2F1%2Ftweets&", baseString);
    }

    [Theory]
    [InlineData("abcXYZ019-._~", "abcXYZ019-._~")]
    [InlineData("a b+c", "a%20b%2Bc")]
    [InlineData("é!*'()", "%C3%A9%21%2A%27%28%29")]
    public void PercentEncode_Rfc3986_EncodesAllButUnreserved(string value, string expected) =>
        Assert.Equal(expected, XOAuth1Signer.PercentEncode(value));
}
