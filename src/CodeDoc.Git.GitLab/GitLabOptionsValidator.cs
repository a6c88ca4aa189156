using CodeDoc.Core;
using Microsoft.Extensions.Options;

namespace CodeDoc.Git.GitLab;

/// <summary>
/// Validates the options of one named GitLab registration at start-up; messages name the configuration field, the
/// value (never a secret) and the fix.
/// </summary>
/// <param name="registrationName">The options name this validator checks.</param>
/// <param name="configurationPath">The configuration path of the options, e.g. <c>CodeDoc:Git:gitlab</c>.</param>
internal sealed class GitLabOptionsValidator(string registrationName, string configurationPath) : IValidateOptions<GitLabOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, GitLabOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.Equals(name, registrationName, StringComparison.Ordinal))
        {
            return ValidateOptionsResult.Skip;
        }

        var failures = Check(options, configurationPath).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Lists what is wrong with the options.</summary>
    /// <param name="options">The options.</param>
    /// <param name="configurationPath">The path field names start with; empty for bare keys.</param>
    /// <returns>One message per problem.</returns>
    internal static IEnumerable<string> Check(GitLabOptions options, string configurationPath)
    {
        string Field(string name) => configurationPath.Length == 0 ? name : $"{configurationPath}:{name}";

        if (EndpointRules.Validate(options.BaseAddress, Field(nameof(GitLabOptions.BaseAddress)), required: false, options.Http.AllowInsecureHttp) is { } baseProblem)
        {
            yield return baseProblem;
        }

        if (options.BaseAddress is { IsAbsoluteUri: true } uri && (uri.Query.Length > 0 || uri.Fragment.Length > 0))
        {
            yield return $"{Field(nameof(GitLabOptions.BaseAddress))} '{EndpointRules.SafeDisplay(uri)}' has a query or fragment: give the bare address, e.g. https://gitlab.example.com/.";
        }

        if (options.BaseAddress is { IsAbsoluteUri: true } api && api.AbsolutePath.Contains("/api/v4", StringComparison.OrdinalIgnoreCase))
        {
            yield return $"{Field(nameof(GitLabOptions.BaseAddress))} '{EndpointRules.SafeDisplay(api)}' is the API address: give the instance's web address without /api/v4, e.g. https://gitlab.example.com/.";
        }

        if (!string.IsNullOrEmpty(options.Token) && (options.Token.Trim().Length != options.Token.Length || options.Token.Any(char.IsWhiteSpace)))
        {
            yield return $"{Field(nameof(GitLabOptions.Token))} contains white space or a line break (the value is not shown): paste the token alone.";
        }

        foreach (var problem in options.Http.Validate(Field(nameof(GitLabOptions.Http))))
        {
            yield return problem;
        }
    }
}
