namespace CodeDoc.Core;

/// <summary>One thing an access check looked at, e.g. "token valid" or "repository visible".</summary>
/// <param name="Name">What was checked.</param>
/// <param name="Passed">Whether it passed.</param>
/// <param name="Message">What was found, and for a failure what to do about it. Never contains a secret.</param>
public sealed record AccessCheckItem(string Name, bool Passed, string Message);

/// <summary>The verdict of a provider's up-front access check.</summary>
public sealed record AccessCheckResult
{
    /// <summary>Initializes a new instance of the <see cref="AccessCheckResult"/> class.</summary>
    /// <param name="checks">The individual checks; the result succeeds when every one passed.</param>
    public AccessCheckResult(IReadOnlyList<AccessCheckItem> checks)
    {
        ArgumentNullException.ThrowIfNull(checks);
        Checks = checks;
    }

    /// <summary>Gets the individual checks, in the order they ran.</summary>
    public IReadOnlyList<AccessCheckItem> Checks { get; }

    /// <summary>Gets a value indicating whether every check passed.</summary>
    public bool Succeeded => Checks.Count > 0 && Checks.All(c => c.Passed);

    /// <summary>Gets the checks that failed.</summary>
    public IEnumerable<AccessCheckItem> Problems => Checks.Where(c => !c.Passed);

    /// <summary>Creates a result from checks.</summary>
    /// <param name="checks">The checks.</param>
    /// <returns>The result.</returns>
    public static AccessCheckResult From(params AccessCheckItem[] checks) => new(checks);
}
