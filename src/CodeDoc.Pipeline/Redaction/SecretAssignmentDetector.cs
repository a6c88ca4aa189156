using System.Buffers;
using System.Text.RegularExpressions;

namespace CodeDoc.Pipeline.Redaction;

/// <summary>
/// The <c>generic-secret-assignment</c> rule: a value that looks like a secret, assigned to a name that says it
/// holds one (<c>password</c>, <c>client_secret</c>, <c>accessToken</c>, <c>ApiKey</c>, ...), in the shapes of
/// code and configuration; in dotenv files, also any random-looking value, whatever its name.
/// </summary>
internal sealed class SecretAssignmentDetector() : SecretDetector(SecretRuleIds.GenericSecretAssignment)
{
    private const int MaxNameLength = 64;

    private static readonly SearchValues<string> Triggers = SearchValues.Create(
        ["pass", "pwd", "secret", "token", "credential", "key", "auth", "connection"], StringComparison.OrdinalIgnoreCase);

    // Name endings (of the name lower-cased with separators removed) that hold a secret of any length.
    private static readonly string[] StrongNameEndings =
    [
        "password", "passwd", "pwd", "passphrase", "secret", "token", "credential", "credentials", "apikey",
        "accesskey", "secretkey", "privatekey", "authkey", "masterkey", "signingkey", "encryptionkey", "clientkey",
        "appkey", "subscriptionkey", "accountkey", "storagekey", "sharedkey", "servicekey", "adminkey", "hmackey",
        "jwtkey", "webhookkey", "sessionkey", "cryptokey", "deploykey", "licensekey",
    ];

    // Trailing words that describe the encoding of the secret rather than change what the name holds.
    private static readonly string[] TransparentLastWords = ["value", "val", "string", "str", "text", "data", "base64", "b64", "hex", "raw", "plain", "plaintext"];

    private static readonly SearchValues<char> NameCharacters = SearchValues.Create(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-");

    private static readonly SearchValues<char> KeyValueListSeparators = SearchValues.Create(";\"'?&,");

    private enum NameStrength
    {
        None,
        Weak,
        Strong,
        ConnectionString,
    }

    /// <inheritdoc />
    public override void Detect(string text, FileProfile profile, int precedence, List<SecretCandidate> found)
    {
        if (profile.IsLockFile)
        {
            return;
        }

        if (profile.IsEnvFile)
        {
            DetectEnvLines(text, profile, precedence, found);
        }

        var position = text.AsSpan().IndexOfAny(Triggers);
        if (position < 0)
        {
            return;
        }

        var pattern = SecretPatterns.SecretAssignment();
        while (position < text.Length)
        {
            var match = pattern.Match(text, position);
            if (!match.Success)
            {
                return;
            }

            var value = ValueGroup(match, out var shape);
            if (IsSecretAssignment(text, match, value, shape, profile))
            {
                found.Add(new SecretCandidate(value.Index, value.Index + value.Length, precedence));
                position = Math.Max(value.Index + value.Length, match.Index + 1);
            }
            else
            {
                // A rejected value may itself hold an assignment ("ConnectionString": "...;Password=...").
                position = value.Index > match.Index ? value.Index : match.Index + 1;
            }
        }
    }

    private static void DetectEnvLines(string text, FileProfile profile, int precedence, List<SecretCandidate> found)
    {
        foreach (Match match in SecretPatterns.EnvAssignment().Matches(text))
        {
            var quoted = match.Groups["quoted"];
            var value = quoted.Success ? quoted : match.Groups["bare"];
            var span = text.AsSpan(value.Index, value.Length);
            if (!quoted.Success)
            {
                span = WithoutComment(span);
            }

            var strength = Strength(match.Groups["name"].ValueSpan);
            if (strength == NameStrength.None)
            {
                strength = NameStrength.Weak;
            }

            if (IsSecretValue(span, strength, profile, bare: false))
            {
                found.Add(new SecretCandidate(value.Index, value.Index + span.Length, precedence));
            }
        }
    }

    // In a dotenv file an unquoted value runs to the end of the line; " #" starts a comment.
    private static ReadOnlySpan<char> WithoutComment(ReadOnlySpan<char> value)
    {
        for (var i = 1; i < value.Length; i++)
        {
            if (value[i] == '#' && value[i - 1] is ' ' or '\t')
            {
                value = value[..i];
                break;
            }
        }

        return value.TrimEnd();
    }

    private static Group ValueGroup(Match match, out string shape)
    {
        foreach (var name in (ReadOnlySpan<string>)["quoted", "bare", "element", "attribute"])
        {
            var group = match.Groups[name];
            if (group.Success)
            {
                shape = name;
                return group;
            }
        }

        throw new InvalidOperationException("The secret-assignment pattern matched without a value group.");
    }

    private static bool IsSecretAssignment(string text, Match match, Group value, string shape, FileProfile profile)
    {
        var suffix = match.Groups["suffix"];
        var nameEnd = suffix.Index + suffix.Length;
        var nameStart = match.Index;
        var limit = Math.Max(0, nameEnd - MaxNameLength);
        while (nameStart > limit && NameCharacters.Contains(text[nameStart - 1]))
        {
            nameStart--;
        }

        var before = text.AsSpan(0, nameStart);
        switch (shape)
        {
            case "element" when !before.EndsWith("<"):
            case "attribute" when !(before.EndsWith("key=\"", StringComparison.OrdinalIgnoreCase) || before.EndsWith("name=\"", StringComparison.OrdinalIgnoreCase)):
                return false;
        }

        var strength = Strength(text.AsSpan(nameStart, nameEnd - nameStart));
        if (strength == NameStrength.None)
        {
            return false;
        }

        var span = text.AsSpan(value.Index, value.Length);
        var bare = shape == "bare";
        if (bare)
        {
            var next = value.Index + value.Length < text.Length ? text[value.Index + value.Length] : '\n';
            var inKeyValueList = nameStart > 0 && KeyValueListSeparators.Contains(text[nameStart - 1]) && text[nameEnd] == '=' && value.Index == nameEnd + 1;

            // "name:value" with no space is not a YAML or JSON mapping but URL user info ("x-access-token:...@host") or host:port.
            var colonWithoutSpace = text[value.Index - 1] == ':';
            if ((profile.Kind == FileKind.Code && !inKeyValueList) || colonWithoutSpace || next is '(' or '[' || IsDottedReference(span))
            {
                return false;
            }
        }

        return IsSecretValue(span, strength, profile, bare);
    }

    private static bool IsSecretValue(ReadOnlySpan<char> value, NameStrength strength, FileProfile profile, bool bare)
    {
        if (value.IsEmpty || value.ContainsAny(" \t\r\n") || SecretHeuristics.IsPlaceholder(value) || value.Contains("://", StringComparison.Ordinal)
            || SecretHeuristics.IsPath(value) || SecretHeuristics.NamesASecret(value) || (profile.IsProjectFile && SecretHeuristics.IsGuid(value)))
        {
            return false;
        }

        // A connection string that is a key=value list is read entry by entry (its Password=, AccountKey=, ...).
        if (strength == NameStrength.ConnectionString)
        {
            if (value.Contains('='))
            {
                return false;
            }

            strength = NameStrength.Strong;
        }

        var entropy = SecretHeuristics.Entropy(value);
        if (strength == NameStrength.Weak)
        {
            return value.Length >= 16 && entropy >= 3.0 && !SecretHeuristics.IsWordLike(value);
        }

        // Prose and prompts say "Password: required"; there a bare value must look random to count.
        if (bare && profile.Kind == FileKind.Text && SecretHeuristics.IsWordLike(value))
        {
            return false;
        }

        return value.Length >= 6 && entropy >= 2.5 && (SecretHeuristics.CharacterClasses(value) >= 2 || value.Length >= 12);
    }

    // settings.Password, process.env.TOKEN, this.apiKey: a member access, not a literal.
    private static bool IsDottedReference(ReadOnlySpan<char> value)
    {
        var segments = 0;
        foreach (var range in value.Split('.'))
        {
            var segment = value[range];
            if (segment.IsEmpty || !(char.IsAsciiLetter(segment[0]) || segment[0] is '_' or '$') || segment.ContainsAnyExcept(IdentifierCharacters))
            {
                return false;
            }

            segments++;
        }

        return segments >= 2;
    }

    private static readonly SearchValues<char> IdentifierCharacters = SearchValues.Create(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$");

    private static NameStrength Strength(ReadOnlySpan<char> name)
    {
        // Lower-case the name without separators, remembering where each word (camelCase or separated) starts.
        Span<char> joined = stackalloc char[Math.Min(name.Length, 128)];
        Span<int> wordStarts = stackalloc int[joined.Length + 1];
        int length = 0, words = 0;
        for (var i = 0; i < name.Length && length < joined.Length; i++)
        {
            var c = name[i];
            if (!char.IsAsciiLetterOrDigit(c))
            {
                continue;
            }

            var startsWord = i == 0 || !char.IsAsciiLetterOrDigit(name[i - 1])
                || (char.IsAsciiLetterUpper(c) && (char.IsAsciiLetterLower(name[i - 1]) || char.IsAsciiDigit(name[i - 1])))
                || (char.IsAsciiLetterUpper(c) && char.IsAsciiLetterUpper(name[i - 1]) && i + 1 < name.Length && char.IsAsciiLetterLower(name[i + 1]));
            if (startsWord || words == 0)
            {
                wordStarts[words++] = length;
            }

            joined[length++] = char.ToLowerInvariant(c);
        }

        if (words == 0)
        {
            return NameStrength.None;
        }

        wordStarts[words] = length;
        for (var w = 0; w < words; w++)
        {
            var word = joined[wordStarts[w]..wordStarts[w + 1]];
            if (word.SequenceEqual("public") || word.SequenceEqual("publishable"))
            {
                return NameStrength.None;
            }
        }

        var strength = Strength(joined[..length], joined[wordStarts[words - 1]..length]);
        if (strength == NameStrength.None && words > 1 && IsTransparent(joined[wordStarts[words - 1]..length]))
        {
            strength = Strength(joined[..wordStarts[words - 1]], joined[wordStarts[words - 2]..wordStarts[words - 1]]);
        }

        return strength;
    }

    private static NameStrength Strength(ReadOnlySpan<char> joined, ReadOnlySpan<char> lastWord)
    {
        if (joined.EndsWith("connectionstring"))
        {
            return NameStrength.ConnectionString;
        }

        foreach (var ending in StrongNameEndings)
        {
            if (joined.EndsWith(ending))
            {
                return NameStrength.Strong;
            }
        }

        return lastWord switch
        {
            "pass" or "auth" => NameStrength.Strong,
            "key" => NameStrength.Weak,
            _ => NameStrength.None,
        };
    }

    private static bool IsTransparent(ReadOnlySpan<char> word)
    {
        foreach (var transparent in TransparentLastWords)
        {
            if (word.SequenceEqual(transparent))
            {
                return true;
            }
        }

        return false;
    }
}
