namespace Herald.Formatting.Text;

/// <summary>
/// Punycode (RFC 3492) as punycode.js encodes, which twitter-text measures domain labels with. .NET's
/// <c>IdnMapping</c> also maps and validates (it refuses ☃, which twitter-text takes), so it cannot stand in.
/// </summary>
internal static class Punycode
{
    private const int Base = 36;
    private const int TMin = 1;
    private const int TMax = 26;
    private const int Skew = 38;
    private const int Damp = 700;
    private const int InitialBias = 72;
    private const int InitialN = 128;

    /// <summary>The length of the encoding of <paramref name="text"/>, without the <c>xn--</c> prefix.</summary>
    public static int EncodedLength(string text)
    {
        // Code points as punycode.js's ucs2decode reads them: pairs joined, a lone surrogate kept as it is.
        var input = new List<int>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                input.Add(char.ConvertToUtf32(text[i], text[i + 1]));
                i++;
            }
            else
            {
                input.Add(text[i]);
            }
        }

        var basic = input.Count(codePoint => codePoint < 0x80);
        var output = basic + (basic > 0 ? 1 : 0);
        var handled = basic;
        var n = InitialN;
        var delta = 0L;
        var bias = InitialBias;
        while (handled < input.Count)
        {
            var m = input.Where(codePoint => codePoint >= n).Min();
            delta += (long)(m - n) * (handled + 1);
            n = m;
            foreach (var codePoint in input)
            {
                if (codePoint < n)
                {
                    delta++;
                }
                else if (codePoint == n)
                {
                    var q = delta;
                    for (var k = Base; ; k += Base)
                    {
                        var t = k <= bias ? TMin : k >= bias + TMax ? TMax : k - bias;
                        if (q < t)
                        {
                            break;
                        }

                        output++;
                        q = (q - t) / (Base - t);
                    }

                    output++;
                    bias = Adapt(delta, handled + 1, handled == basic);
                    delta = 0;
                    handled++;
                }
            }

            delta++;
            n++;
        }

        return output;
    }

    private static int Adapt(long delta, int points, bool first)
    {
        delta = first ? delta / Damp : delta / 2;
        delta += delta / points;
        var k = 0;
        while (delta > ((Base - TMin) * TMax) / 2)
        {
            delta /= Base - TMin;
            k += Base;
        }

        return (int)(k + (((Base - TMin + 1) * delta) / (delta + Skew)));
    }
}
