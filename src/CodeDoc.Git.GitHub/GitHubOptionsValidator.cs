using System.Text.RegularExpressions;
using CodeDoc.Core;
using Microsoft.Extensions.Options;

namespace CodeDoc.Git.GitHub;

/// <summary>
/// Validates the options of one named GitHub registration at start-up; messages name the configuration field, the
/// value (never a secret) and the fix.
/// </summary>
/// <param name="registrationName">The options name this validator checks.</param>
/// <param name="configurationPath">The configuration path of the options, e.g. <c>CodeDoc:Git:github</c>.</param>
internal sealed partial class GitHubOptionsValidator(string registrationName, string configurationPath) : IValidateOptions<GitHubOptions>
{
    /// <summary>Gets the options name this validator checks.</summary>
    public string Name => registrationName;

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, GitHubOptions options)
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
    internal static IEnumerable<string> Check(GitHubOptions options, string configurationPath)
    {
        string Field(string name) => configurationPath.Length == 0 ? name : $"{configurationPath}:{name}";

        if (EndpointRules.Validate(options.BaseAddress, Field(nameof(GitHubOptions.BaseAddress)), required: false, options.Http.AllowInsecureHttp) is { } baseProblem)
        {
            yield return baseProblem;
        }

        if (EndpointRules.Validate(options.ApiBaseAddress, Field(nameof(GitHubOptions.ApiBaseAddress)), required: false, options.Http.AllowInsecureHttp) is { } apiProblem)
        {
            yield return apiProblem;
        }

        foreach (var (uri, field) in new[] { (options.BaseAddress, nameof(GitHubOptions.BaseAddress)), (options.ApiBaseAddress, nameof(GitHubOptions.ApiBaseAddress)) })
        {
            if (uri is { IsAbsoluteUri: true } && (uri.Query.Length > 0 || uri.Fragment.Length > 0))
            {
                yield return $"{Field(field)} '{EndpointRules.SafeDisplay(uri)}' has a query or fragment: give the bare address, e.g. https://github.example.com/.";
            }
        }

        var hasToken = !string.IsNullOrEmpty(options.Token);
        var ways = new[] { hasToken, options.TokenProvider is not null, options.App.IsConfigured }.Count(x => x);
        if (ways > 1)
        {
            yield return $"{Field("Token")}, {Field("TokenProvider")} and {Field("App")} are alternatives, but more than one is set: keep only the one to authenticate with.";
        }

        if (hasToken && (options.Token!.Trim().Length != options.Token.Length || options.Token.Any(char.IsWhiteSpace)))
        {
            yield return $"{Field("Token")} contains white space or a line break (the value is not shown): paste the token alone.";
        }

        if (options.App.IsConfigured)
        {
            foreach (var problem in CheckApp(options.App, Field))
            {
                yield return problem;
            }
        }

        if (!ApiVersionPattern().IsMatch(options.ApiVersion ?? string.Empty))
        {
            yield return $"{Field(nameof(GitHubOptions.ApiVersion))} '{options.ApiVersion}' is not a GitHub API version: use a date such as 2022-11-28.";
        }

        foreach (var problem in options.Http.Validate(Field(nameof(GitHubOptions.Http))))
        {
            yield return problem;
        }
    }

    private static IEnumerable<string> CheckApp(GitHubAppOptions app, Func<string, string> field)
    {
        if (string.IsNullOrWhiteSpace(app.AppId))
        {
            yield return $"{field("App:AppId")} is required for a GitHub App: give the app's id (a number) or client id from the app's settings page.";
        }

        var hasKey = !string.IsNullOrWhiteSpace(app.PrivateKey);
        var hasPath = !string.IsNullOrWhiteSpace(app.PrivateKeyPath);
        if (hasKey == hasPath)
        {
            yield return hasKey
                ? $"{field("App:PrivateKey")} and {field("App:PrivateKeyPath")} are both set: keep one."
                : $"{field("App:PrivateKey")} or {field("App:PrivateKeyPath")} is required for a GitHub App: generate a private key on the app's settings page and give its PEM text or file.";
        }
        else
        {
            string? pem = app.PrivateKey;
            if (hasPath)
            {
                if (!File.Exists(app.PrivateKeyPath))
                {
                    yield return $"{field("App:PrivateKeyPath")} names '{app.PrivateKeyPath}', which does not exist: give the path of the app's .pem file.";
                    pem = null;
                }
                else
                {
                    pem = File.ReadAllText(app.PrivateKeyPath!);
                }
            }

            if (pem is not null)
            {
                var problem = GitHubAppJwt.TryLoadKey(pem, out var key);
                key?.Dispose();
                if (problem is not null)
                {
                    yield return $"{field(hasPath ? "App:PrivateKeyPath" : "App:PrivateKey")} {problem}.";
                }
            }
        }

        if (app.InstallationId is <= 0)
        {
            yield return $"{field("App:InstallationId")} is {app.InstallationId}: give the positive id from the installation's settings address (.../installations/ID), or leave it out.";
        }
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}$")]
    private static partial Regex ApiVersionPattern();
}
