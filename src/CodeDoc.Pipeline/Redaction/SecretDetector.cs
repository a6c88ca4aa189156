using System.Buffers;
using System.Text.RegularExpressions;

namespace CodeDoc.Pipeline.Redaction;

/// <summary>A span of text to redact, and the detector that found it.</summary>
/// <param name="Start">The first character.</param>
/// <param name="End">One past the last character.</param>
/// <param name="Precedence">The detector's position in <see cref="SecretDetectorCatalog.Detectors"/>; lower wins an overlap.</param>
internal readonly record struct SecretCandidate(int Start, int End, int Precedence);

/// <summary>Tells whether a matched value is a secret (and not a placeholder, an example or filler).</summary>
/// <param name="secret">The part of the match that would be redacted.</param>
/// <returns><see langword="true"/> to redact it.</returns>
internal delegate bool SecretValidator(ReadOnlySpan<char> secret);

/// <summary>One detection rule with a stable id.</summary>
/// <param name="ruleId">The rule id, used in the placeholder and the findings.</param>
internal abstract class SecretDetector(string ruleId)
{
    /// <summary>Gets the rule id.</summary>
    public string RuleId { get; } = ruleId;

    /// <summary>Adds what this rule finds in a text.</summary>
    /// <param name="text">The whole text.</param>
    /// <param name="profile">What the path says about the text.</param>
    /// <param name="precedence">The value to put in each candidate.</param>
    /// <param name="found">Receives the candidates.</param>
    public abstract void Detect(string text, FileProfile profile, int precedence, List<SecretCandidate> found);
}

/// <summary>
/// A rule made of a regular expression, a cheap prefilter (the literals every match contains, searched with one
/// vectorized pass before the expression runs at all), and an optional validator.
/// </summary>
internal sealed class PatternSecretDetector : SecretDetector
{
    private readonly SearchValues<string>? _triggers;
    private readonly Regex _pattern;
    private readonly int _secretGroup;
    private readonly SecretValidator? _validator;
    private readonly Func<FileProfile, bool>? _appliesTo;

    /// <summary>Initializes a new instance of the <see cref="PatternSecretDetector"/> class.</summary>
    /// <param name="ruleId">The rule id.</param>
    /// <param name="pattern">The expression; its <c>secret</c> group, when it has one, is what gets redacted.</param>
    /// <param name="triggers">Literals one of which every match contains (the match may start before it only through a lookbehind); <see langword="null"/> to always run.</param>
    /// <param name="ignoreCase">Whether the triggers are searched ignoring case.</param>
    /// <param name="validator">Rejects matches that are not secrets.</param>
    /// <param name="appliesTo">Limits the rule to some files.</param>
    public PatternSecretDetector(
        string ruleId,
        Regex pattern,
        string[]? triggers,
        bool ignoreCase = false,
        SecretValidator? validator = null,
        Func<FileProfile, bool>? appliesTo = null)
        : base(ruleId)
    {
        _pattern = pattern;
        _triggers = triggers is null ? null : SearchValues.Create(triggers, ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
        _secretGroup = pattern.GroupNumberFromName("secret");
        _validator = validator;
        _appliesTo = appliesTo;
    }

    /// <inheritdoc />
    public override void Detect(string text, FileProfile profile, int precedence, List<SecretCandidate> found)
    {
        if (_appliesTo is not null && !_appliesTo(profile))
        {
            return;
        }

        var position = 0;
        if (_triggers is not null)
        {
            // Patterns that start before their trigger (the Azure AD secret's four leading characters) only look
            // back through a lookbehind or a fixed prefix, so starting four characters early is always enough.
            position = text.AsSpan().IndexOfAny(_triggers);
            if (position < 0)
            {
                return;
            }

            position = Math.Max(0, position - 4);
        }

        while (position < text.Length)
        {
            var match = _pattern.Match(text, position);
            if (!match.Success)
            {
                return;
            }

            var secret = _secretGroup >= 0 ? match.Groups[_secretGroup] : match;
            if (_validator is null || _validator(text.AsSpan(secret.Index, secret.Length)))
            {
                found.Add(new SecretCandidate(secret.Index, secret.Index + secret.Length, precedence));
                position = match.Index + Math.Max(match.Length, 1);
            }
            else
            {
                position = match.Index + 1;
            }
        }
    }
}
