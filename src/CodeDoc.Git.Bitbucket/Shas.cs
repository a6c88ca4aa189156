namespace CodeDoc.Git.Bitbucket;

/// <summary>Checks of commit SHAs as the providers accept and return them.</summary>
internal static class Shas
{
    /// <summary>Tells whether a text is a full SHA-1 or SHA-256 commit id.</summary>
    /// <param name="text">The text.</param>
    /// <returns>Whether it is 40 or 64 hex digits.</returns>
    public static bool IsFull(string? text) => text is { Length: 40 or 64 } && IsHex(text);

    /// <summary>Tells whether a text could be an abbreviated commit id (4 to 64 hex digits).</summary>
    /// <param name="text">The text.</param>
    /// <returns>Whether it could.</returns>
    public static bool IsAbbreviation(string text) => text.Length is >= 4 and <= 64 && IsHex(text);

    /// <summary>Throws when a commit SHA argument is not hex.</summary>
    /// <param name="commitSha">The argument.</param>
    /// <param name="parameterName">Its name.</param>
    public static void ThrowIfInvalid(string commitSha, string parameterName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(commitSha, parameterName);
        if (!IsAbbreviation(commitSha))
        {
            throw new ArgumentException($"'{commitSha}' is not a commit SHA: pass the SHA ResolveRefAsync returned.", parameterName);
        }
    }

    private static bool IsHex(string text) => text.All(char.IsAsciiHexDigit);
}
