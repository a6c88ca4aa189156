using System.Buffers;
using System.Collections.Frozen;

namespace CodeDoc.Pipeline.Redaction;

/// <summary>The tests that tell a secret from a placeholder, a reference, a name or prose.</summary>
internal static class SecretHeuristics
{
    // Substrings that mark a value as a template, an example or a variable reference rather than a secret. Each is
    // long or unusual enough that a random secret contains it by chance about once in a hundred million.
    // Matched ignoring case, but only where the word is written as a word (dummy, DUMMY, Dummy, ChangeMe): "duMmY"
    // inside a random token is chance, not a placeholder (found by the property test).
    private static readonly string[] PlaceholderWordList =
    [
        "changeme", "change_me", "change-me", "changeit", "change-it", "change_it", "changethis", "placeholder",
        "example", "dummy", "redacted", "your_", "your-", "yourkey", "yourtoken", "yoursecret", "yourpass", "yourapi",
        "insert_", "insert-", "replace_", "replace-", "replaceme", "process.env", "os.environ", "getenv",
        "environment.", "env:", "env[", "secrets.", "vault:", "keyvault(", "secretsmanager", "ssm:", "notasecret",
        "not-a-secret", "not_a_secret",
    ];

    private static readonly SearchValues<string> PlaceholderWords = SearchValues.Create(PlaceholderWordList, StringComparison.OrdinalIgnoreCase);

    // Template, format and regular-expression syntax and masks, case-sensitive: "xXxXx" in a random token is chance,
    // "xxxxx" is a mask.
    private static readonly SearchValues<string> PlaceholderMarks = SearchValues.Create(
        ["${", "$(", "{{", "}}", "#{", "%(", "%s", "***", "...", "xxxxx", "XXXXX", "(?:", "(?=", "(?!", "(?<", "[^", "\\w", "\\d", "\\s"],
        StringComparison.Ordinal);

    // A value that names a secret ("auth_token", "X-Api-Key", "db-password", "_RSAPrivateKey") is a key, header or
    // type name, not a secret.
    private static readonly SearchValues<string> SecretWordFragments = SearchValues.Create(
        [
            "password", "passwd", "passphrase", "secret", "token", "apikey", "api_key", "api-key", "privatekey",
            "private_key", "private-key", "accesskey", "access_key", "access-key", "accountkey", "credential", "auth",
            "connectionstring", "connection_string", "connection-string",
        ],
        StringComparison.OrdinalIgnoreCase);

    // Whole values (letters and digits only, lower case) that are stand-ins, flags or type names.
    private static readonly FrozenSet<string> PlaceholderValues = FrozenSet.Create(
        StringComparer.Ordinal,
        "changeme", "changeit", "password", "passwd", "pass", "secret", "token", "apikey", "key", "sample", "none",
        "null", "nil", "undefined", "true", "false", "yes", "no", "on", "off", "default", "empty", "required",
        "optional", "string", "str", "text", "value", "test", "testing", "foo", "bar", "baz", "foobar", "abc", "abc123",
        "letmein", "admin", "root", "guest", "user", "username", "mypassword", "secretkey", "mysecret", "mytoken",
        "unset", "disabled", "enabled", "inherit", "hidden", "masked", "unknown", "todo", "fixme", "tbd", "na", "void");

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> PlaceholderValueLookup =
        PlaceholderValues.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Gets the Shannon entropy of a value in bits per character.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The entropy; 0 for an empty value.</returns>
    public static double Entropy(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty)
        {
            return 0;
        }

        // Non-ASCII characters share buckets; the entropy of a secret is what matters, and secrets are ASCII.
        Span<int> counts = stackalloc int[256];
        counts.Clear();
        foreach (var c in value)
        {
            counts[c & 0xFF]++;
        }

        double entropy = 0;
        double length = value.Length;
        foreach (var count in counts)
        {
            if (count > 0)
            {
                var p = count / length;
                entropy -= p * Math.Log2(p);
            }
        }

        return entropy;
    }

    /// <summary>Counts the character classes (lower case, upper case, digit, other) a value uses.</summary>
    /// <param name="value">The value.</param>
    /// <returns>From 0 to 4.</returns>
    public static int CharacterClasses(ReadOnlySpan<char> value)
    {
        bool lower = false, upper = false, digit = false, other = false;
        foreach (var c in value)
        {
            if (char.IsAsciiLetterLower(c))
            {
                lower = true;
            }
            else if (char.IsAsciiLetterUpper(c))
            {
                upper = true;
            }
            else if (char.IsAsciiDigit(c))
            {
                digit = true;
            }
            else
            {
                other = true;
            }
        }

        return (lower ? 1 : 0) + (upper ? 1 : 0) + (digit ? 1 : 0) + (other ? 1 : 0);
    }

    /// <summary>
    /// Gets a value indicating whether a value is a stand-in rather than a secret: a template or variable reference
    /// (<c>${VAR}</c>, <c>$VAR</c>, <c>%VAR%</c>, <c>{{ secrets.X }}</c>, <c>&lt;your-key&gt;</c>, <c>__TOKEN__</c>),
    /// a masked or example value (<c>***</c>, <c>xxxxx</c>, <c>changeme</c>, <c>EXAMPLE</c>), one repeated
    /// character, or a flag, number or type name.
    /// </summary>
    /// <param name="value">The value, without quotes.</param>
    /// <returns><see langword="true"/> when the value is not a secret.</returns>
    public static bool IsPlaceholder(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty || value.IndexOfAny(PlaceholderMarks) >= 0 || ContainsPlaceholderWord(value))
        {
            return true;
        }

        var first = value[0];
        var last = value[^1];
        if (first is '$' or '!' or '&' || (first == '%' && last == '%') || (first == '<' && last == '>') || (first == '[' && last == ']')
            || (first == '@' && last == '@') || (value.StartsWith("__") && value.EndsWith("__")) || (value.Contains('{') && value.Contains('}')))
        {
            return true;
        }

        if (value.Length > 1 && value.TrimStart(first).IsEmpty)
        {
            return true;
        }

        if (IsNumber(value))
        {
            return true;
        }

        Span<char> normalized = stackalloc char[Math.Min(value.Length, 32)];
        var length = 0;
        foreach (var c in value)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                if (length == normalized.Length)
                {
                    return false;
                }

                normalized[length++] = char.ToLowerInvariant(c);
            }
        }

        return length == 0 || PlaceholderValueLookup.Contains(normalized[..length]);
    }

    private static bool ContainsPlaceholderWord(ReadOnlySpan<char> value)
    {
        if (value.IndexOfAny(PlaceholderWords) < 0)
        {
            return false;
        }

        foreach (var word in PlaceholderWordList)
        {
            for (var from = 0; from < value.Length;)
            {
                var index = value[from..].IndexOf(word, StringComparison.OrdinalIgnoreCase);
                if (index < 0)
                {
                    break;
                }

                if (IsOneCase(value.Slice(from + index, word.Length)))
                {
                    return true;
                }

                from += index + 1;
            }
        }

        return false;
    }

    // dummy, DUMMY, Dummy, ChangeMe, Change_Me, KeyVault: at most one camelCase hump inside the word; duMmY has two.
    private static bool IsOneCase(ReadOnlySpan<char> word)
    {
        var humps = 0;
        for (var i = 1; i < word.Length; i++)
        {
            if (char.IsAsciiLetterLower(word[i - 1]) && char.IsAsciiLetterUpper(word[i]))
            {
                humps++;
            }
        }

        return humps <= 1;
    }

    /// <summary>Gets a value indicating whether a value contains a word that names a secret (so it is a name, not a secret).</summary>
    /// <param name="value">The value.</param>
    /// <returns><see langword="true"/> when it does.</returns>
    public static bool NamesASecret(ReadOnlySpan<char> value) => value.IndexOfAny(SecretWordFragments) >= 0;

    /// <summary>Gets a value indicating whether a value is a decimal or hexadecimal number.</summary>
    /// <param name="value">The value.</param>
    /// <returns><see langword="true"/> when it is.</returns>
    public static bool IsNumber(ReadOnlySpan<char> value)
    {
        if (value.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && value.Length > 2 && !value[2..].ContainsAnyExcept(HexDigits))
        {
            return true;
        }

        if (value.Length > 0 && value[0] is '-' or '+')
        {
            value = value[1..];
        }

        return !value.IsEmpty && char.IsAsciiDigit(value[0]) && char.IsAsciiDigit(value[^1]) && !value.ContainsAnyExcept(NumberCharacters);
    }

    /// <summary>Gets a value indicating whether a value is a GUID, with or without braces.</summary>
    /// <param name="value">The value.</param>
    /// <returns><see langword="true"/> when it is.</returns>
    public static bool IsGuid(ReadOnlySpan<char> value) => Guid.TryParseExact(value.Trim("{}"), "D", out _);

    /// <summary>Gets a value indicating whether a value is a file system path (<c>/run/secrets/db</c>, <c>./certs/key</c>, <c>C:\keys\a</c>).</summary>
    /// <param name="value">The value.</param>
    /// <returns><see langword="true"/> when it is.</returns>
    public static bool IsPath(ReadOnlySpan<char> value)
    {
        if (value.Length > 2 && char.IsAsciiLetter(value[0]) && value[1] == ':' && value[2] is '\\' or '/')
        {
            return true;
        }

        var rest = value.TrimStart('~').TrimStart('.');
        if (rest.IsEmpty || rest[0] != '/' || value.Contains('+') || value.Contains('='))
        {
            return false;
        }

        var segments = 0;
        foreach (var range in rest[1..].Split('/'))
        {
            var segment = rest[1..][range];
            if (segment.ContainsAnyExcept(PathSegmentCharacters))
            {
                return false;
            }

            segments++;
        }

        return segments >= 2;
    }

    /// <summary>
    /// Gets a value indicating whether a value reads as words or an identifier (<c>user-profile-v2</c>,
    /// <c>app.settings.theme</c>, <c>RootManageSharedAccessKey</c>, <c>TestRetargetTo35Allowed</c>) rather than random
    /// characters. The value is cut into pieces at separators, at camelCase humps and between letters and digits;
    /// words make few, long pieces (three characters or more on average, no number longer than four digits), while
    /// random characters make many short ones.
    /// </summary>
    /// <param name="value">The value.</param>
    /// <returns><see langword="true"/> when it reads as words.</returns>
    public static bool IsWordLike(ReadOnlySpan<char> value)
    {
        int pieces = 0, characters = 0, pieceLength = 0;
        var previous = '\0';
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (!char.IsAsciiLetterOrDigit(c))
            {
                pieceLength = 0;
                previous = '\0';
                continue;
            }

            var startsPiece = pieceLength == 0
                || char.IsAsciiDigit(c) != char.IsAsciiDigit(previous)
                || (char.IsAsciiLetterUpper(c) && char.IsAsciiLetterLower(previous))
                || (char.IsAsciiLetterUpper(c) && char.IsAsciiLetterUpper(previous) && i + 1 < value.Length && char.IsAsciiLetterLower(value[i + 1]));
            if (startsPiece)
            {
                pieces++;
                pieceLength = 0;
            }

            pieceLength++;
            characters++;
            if (char.IsAsciiDigit(c) && pieceLength > 4)
            {
                return false;
            }

            previous = c;
        }

        return pieces == 0 || characters >= 3 * pieces;
    }

    /// <summary>Gets a value indicating whether a value is a version number (<c>7.9.0</c>, <c>v2.1.3-rc.4</c>, <c>1.0.0+build.5</c>).</summary>
    /// <param name="value">The value.</param>
    /// <returns><see langword="true"/> when it is.</returns>
    public static bool IsVersion(ReadOnlySpan<char> value)
    {
        if (value.StartsWith("v") || value.StartsWith("V"))
        {
            value = value[1..];
        }

        var suffix = value.IndexOfAny('-', '+');
        var core = suffix < 0 ? value : value[..suffix];
        var parts = 0;
        foreach (var range in core.Split('.'))
        {
            var part = core[range];
            if (part.IsEmpty || part.ContainsAnyExcept(Digits))
            {
                return false;
            }

            parts++;
        }

        return parts is >= 2 and <= 4;
    }

    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdefABCDEF");

    private static readonly SearchValues<char> NumberCharacters = SearchValues.Create("0123456789._,eE");

    private static readonly SearchValues<char> Digits = SearchValues.Create("0123456789");

    private static readonly SearchValues<char> PathSegmentCharacters = SearchValues.Create(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-");
}
