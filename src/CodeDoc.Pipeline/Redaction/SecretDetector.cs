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
/// A rule made of a regular expression, the literals it starts with (its triggers), and an optional validator.
/// The triggers are found with one vectorized multi-string search and the expression, which starts with
/// <c>\G</c>, is tried only at each of them; a rule without triggers runs its expression over the whole text.
/// </summary>
internal sealed class PatternSecretDetector : SecretDetector
{
    private readonly SearchValues<string>? _triggers;
    private readonly Regex _pattern;
    private readonly int _secretGroup;
    private readonly int _leadingCharacters;
    private readonly SecretValidator? _validator;
    private readonly Func<FileProfile, bool>? _appliesTo;

    /// <summary>Initializes a new instance of the <see cref="PatternSecretDetector"/> class.</summary>
    /// <param name="ruleId">The rule id.</param>
    /// <param name="pattern">The expression; its <c>secret</c> group, when it has one, is what gets redacted.</param>
    /// <param name="triggers">The literals every match starts with (the expression starts with <c>\G</c>); <see langword="null"/> to run the expression over the whole text.</param>
    /// <param name="ignoreCase">Whether the triggers are searched ignoring case.</param>
    /// <param name="validator">Rejects matches that are not secrets.</param>
    /// <param name="appliesTo">Limits the rule to some files.</param>
    /// <param name="leadingCharacters">How many characters before the match, checked by a fixed-length lookbehind, belong to the secret.</param>
    public PatternSecretDetector(
        string ruleId,
        Regex pattern,
        string[]? triggers,
        bool ignoreCase = false,
        SecretValidator? validator = null,
        Func<FileProfile, bool>? appliesTo = null,
        int leadingCharacters = 0)
        : base(ruleId)
    {
        _pattern = pattern;
        _triggers = triggers is null ? null : SearchValues.Create(triggers, ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
        _secretGroup = pattern.GroupNumberFromName("secret");
        _leadingCharacters = leadingCharacters;
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
        while (position < text.Length)
        {
            Match match;
            if (_triggers is null)
            {
                match = _pattern.Match(text, position);
                if (!match.Success)
                {
                    return;
                }
            }
            else
            {
                var hit = text.AsSpan(position).IndexOfAny(_triggers);
                if (hit < 0)
                {
                    return;
                }

                match = _pattern.Match(text, position + hit);
                if (!match.Success)
                {
                    position += hit + 1;
                    continue;
                }
            }

            var secret = _secretGroup >= 0 ? match.Groups[_secretGroup] : match;
            var start = secret.Index - _leadingCharacters;
            var end = secret.Index + secret.Length;
            if (_validator is null || _validator(text.AsSpan(start, end - start)))
            {
                found.Add(new SecretCandidate(start, end, precedence));
            }

            // A rejected match is one token (a placeholder, an example); nothing inside it starts a secret.
            position = match.Index + Math.Max(match.Length, 1);
        }
    }
}
