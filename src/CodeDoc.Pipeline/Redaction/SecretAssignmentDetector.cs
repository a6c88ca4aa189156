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

    private static readonly int SuffixGroup = SecretPatterns.SecretAssignment().GroupNumberFromName("suffix");
    private static readonly int QuotedGroup = SecretPatterns.SecretAssignment().GroupNumberFromName("quoted");
    private static readonly int BareGroup = SecretPatterns.SecretAssignment().GroupNumberFromName("bare");
    private static readonly int ElementGroup = SecretPatterns.SecretAssignment().GroupNumberFromName("element");
    private static readonly int AttributeGroup = SecretPatterns.SecretAssignment().GroupNumberFromName("attribute");
    private static readonly int EnvNameGroup = SecretPatterns.EnvAssignment().GroupNumberFromName("name");
    private static readonly int EnvQuotedGroup = SecretPatterns.EnvAssignment().GroupNumberFromName("quoted");
    private static readonly int EnvBareGroup = SecretPatterns.EnvAssignment().GroupNumberFromName("bare");

    // What ends an unquoted value: the characters the pattern's bare group excludes.
    private static readonly SearchValues<char> BareValueEnds = SearchValues.Create(" \t\r\n\f\v\u0085\u00A0\u2028\u2029\"'`,;&<>(){}[]\\");

    private enum Shape
    {
        Quoted,
        Bare,
        Element,
        Attribute,
    }

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

        var pattern = SecretPatterns.SecretAssignment();
        var run = new BareRun();
        var position = 0;
        while (position < text.Length)
        {
            var hit = text.AsSpan(position).IndexOfAny(Triggers);
            if (hit < 0)
            {
                return;
            }

            var match = pattern.Match(text, position + hit);
            if (!match.Success)
            {
                position += hit + 1;
                continue;
            }

            var value = ValueOf(match, out var shape);
            var end = shape == Shape.Bare && value.Length == SecretPatterns.BareValueLimit ? run.End(text, value.Index) : value.Index + value.Length;
            if (IsSecretAssignment(text, match, value, shape, profile))
            {
                found.Add(new SecretCandidate(value.Index, end, precedence));
                position = end;
            }
            else
            {
                // A rejected value may itself hold an assignment ("ConnectionString": "...;Password=...").
                position = value.Index;
            }
        }
    }

    private static void DetectEnvLines(string text, FileProfile profile, int precedence, List<SecretCandidate> found)
    {
        foreach (Match match in SecretPatterns.EnvAssignment().Matches(text))
        {
            var quoted = match.Groups[EnvQuotedGroup];
            var value = quoted.Success ? quoted : match.Groups[EnvBareGroup];
            var span = text.AsSpan(value.Index, value.Length);
            if (!quoted.Success)
            {
                span = WithoutComment(span);
            }

            if (span.Length < 6)
            {
                continue;
            }

            var strength = Strength(match.Groups[EnvNameGroup].ValueSpan);
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

    private static Group ValueOf(Match match, out Shape shape)
    {
        var groups = match.Groups;
        (var group, shape) = groups[QuotedGroup].Success ? (groups[QuotedGroup], Shape.Quoted)
            : groups[BareGroup].Success ? (groups[BareGroup], Shape.Bare)
            : groups[ElementGroup].Success ? (groups[ElementGroup], Shape.Element)
            : (groups[AttributeGroup], Shape.Attribute);
        return group;
    }

    private static bool IsSecretAssignment(string text, Match match, Group value, Shape shape, FileProfile profile)
    {
        var suffix = match.Groups[SuffixGroup];
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
            case Shape.Element when !before.EndsWith("<"):
            case Shape.Attribute when !(before.EndsWith("key=\"", StringComparison.OrdinalIgnoreCase) || before.EndsWith("name=\"", StringComparison.OrdinalIgnoreCase)):
                return false;
        }

        var strength = Strength(text.AsSpan(nameStart, nameEnd - nameStart));
        if (strength == NameStrength.None)
        {
            return false;
        }

        var span = text.AsSpan(value.Index, value.Length);

        // <add key="ApiKey" value="..."/>: the key attribute holds the name of the setting, not its value.
        if (shape == Shape.Quoted && IsKeyAttributeBeforeValue(text, nameStart, nameEnd, value))
        {
            return false;
        }

        if (shape == Shape.Bare)
        {
            var next = value.Index + value.Length < text.Length ? text[value.Index + value.Length] : '\n';
            var inKeyValueList = nameStart > 0 && KeyValueListSeparators.Contains(text[nameStart - 1]) && text[nameEnd] == '=' && value.Index == nameEnd + 1;

            // "name:value" with no space is not a YAML or JSON mapping but URL user info ("x-access-token:...@host") or host:port.
            var colonWithoutSpace = text[value.Index - 1] == ':';
            if (((profile.Kind is FileKind.Code or FileKind.Markup) && !inKeyValueList) || colonWithoutSpace || next is '(' or '[' || IsDottedReference(span))
            {
                return false;
            }
        }

        return IsSecretValue(span, strength, profile, shape == Shape.Bare);
    }

    private static bool IsKeyAttributeBeforeValue(string text, int nameStart, int nameEnd, Group value)
    {
        var name = text.AsSpan(nameStart, nameEnd - nameStart);
        if (!(name.Equals("key", StringComparison.OrdinalIgnoreCase) || name.Equals("name", StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }

        var after = text.AsSpan(Math.Min(text.Length, value.Index + value.Length + 1));
        var trimmed = after.TrimStart(" \t");
        return trimmed.Length < after.Length && trimmed.StartsWith("value", StringComparison.OrdinalIgnoreCase) && trimmed[5..].TrimStart(" \t").StartsWith("=");
    }

    private static bool IsSecretValue(ReadOnlySpan<char> value, NameStrength strength, FileProfile profile, bool bare)
    {
        // Cheapest tests first: most values reaching here are rejected, and an adversarial file can hold many.
        if (value.Length < (strength == NameStrength.Weak ? 16 : 6) || value.ContainsAny(" \t\r\n")
            || value.Contains("://", StringComparison.Ordinal) || SecretHeuristics.IsPath(value) || SecretHeuristics.IsVersion(value) || SecretHeuristics.NamesASecret(value)
            || SecretHeuristics.IsPlaceholder(value) || (profile.IsProjectFile && SecretHeuristics.IsGuid(value)))
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

        if (strength == NameStrength.Weak)
        {
            return !SecretHeuristics.IsWordLike(value) && SecretHeuristics.Entropy(value) >= 3.0;
        }

        // Prose and prompts say "Password: required"; there a bare value must look random to count.
        if (bare && profile.Kind == FileKind.Text && SecretHeuristics.IsWordLike(value))
        {
            return false;
        }

        return (value.Length >= 12 || SecretHeuristics.CharacterClasses(value) >= 2) && SecretHeuristics.Entropy(value) >= 2.5;
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
            "pass" => NameStrength.Strong,
            "key" or "auth" => NameStrength.Weak,
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

    /// <summary>
    /// The end of the unquoted run a long bare value belongs to. Triggers repeat inside one run ("key=key=key=..."),
    /// so the last end found is kept and reused: every run is scanned once.
    /// </summary>
    private struct BareRun
    {
        private int _start;
        private int _end;

        public int End(string text, int index)
        {
            if (index >= _start && index < _end)
            {
                return _end;
            }

            var length = text.AsSpan(index).IndexOfAny(BareValueEnds);
            _start = index;
            _end = length < 0 ? text.Length : index + length;
            return _end;
        }
    }
}
