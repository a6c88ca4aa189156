using System.Text.RegularExpressions;
using CodeDoc.Core;
using Microsoft.Extensions.Options;

namespace CodeDoc.Git.AzureDevOps;

/// <summary>Validates one registration's options at start-up, naming the field, the value (never a secret) and the fix.</summary>
/// <param name="registrationName">The registration name.</param>
/// <param name="configurationPath">The configuration path the fields are named under.</param>
internal sealed partial class AzureDevOpsOptionsValidator(string registrationName, string configurationPath) : IValidateOptions<AzureDevOpsOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, AzureDevOpsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.Equals(name, registrationName, StringComparison.Ordinal))
        {
            return ValidateOptionsResult.Skip;
        }

        var failures = Check(options, configurationPath).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Lists the problems of options.</summary>
    /// <param name="options">The options.</param>
    /// <param name="configurationPath">The configuration path, or empty.</param>
    /// <returns>The problems.</returns>
    internal static IEnumerable<string> Check(AzureDevOpsOptions options, string configurationPath)
    {
        string Field(string field) => configurationPath.Length == 0 ? field : $"{configurationPath}:{field}";

        if (EndpointRules.Validate(options.BaseAddress, Field(nameof(AzureDevOpsOptions.BaseAddress)), required: false, options.Http.AllowInsecureHttp) is { } baseProblem)
        {
            yield return baseProblem;
        }
        else if (options.BaseAddress is { } address && (address.AbsolutePath.Contains("/_apis", StringComparison.OrdinalIgnoreCase) || address.AbsolutePath.Contains("/_git", StringComparison.OrdinalIgnoreCase)))
        {
            yield return $"{Field(nameof(AzureDevOpsOptions.BaseAddress))} is '{EndpointRules.SafeDisplay(address)}', a repository or API address: give the address organizations or collections follow, https://dev.azure.com/ for Services or e.g. https://tfs.example.com/tfs/ for Server.";
        }

        if (options.ApiVersion is null || !ApiVersion().IsMatch(options.ApiVersion))
        {
            yield return $"{Field(nameof(AzureDevOpsOptions.ApiVersion))} is '{options.ApiVersion}': give a REST API version such as 7.1 (Services), 7.0 (Server 2022), 6.0 (Server 2020) or 5.0 (Server 2019).";
        }

        if (options.Token is { } token && (token.Length == 0 || token.Trim().Length != token.Length || token.Any(char.IsControl)))
        {
            yield return $"{Field(nameof(AzureDevOpsOptions.Token))} is empty or has white space or control characters around or in it: paste the personal access token exactly as Azure DevOps showed it.";
        }

        var principal = new[] { options.TenantId, options.ClientId, options.ClientSecret }.Count(v => !string.IsNullOrEmpty(v));
        var methods = (string.IsNullOrEmpty(options.Token) ? 0 : 1) + (principal > 0 ? 1 : 0) + (options.Credential is null ? 0 : 1);
        if (methods > 1)
        {
            yield return $"Set only one way to authenticate: {Field(nameof(AzureDevOpsOptions.Token))} (a personal access token), a service principal ({Field(nameof(AzureDevOpsOptions.TenantId))}, {Field(nameof(AzureDevOpsOptions.ClientId))}, {Field(nameof(AzureDevOpsOptions.ClientSecret))}) or a Credential set in code.";
        }
        else if (principal is > 0 and < 3)
        {
            var missing = new[] { (nameof(AzureDevOpsOptions.TenantId), options.TenantId), (nameof(AzureDevOpsOptions.ClientId), options.ClientId), (nameof(AzureDevOpsOptions.ClientSecret), options.ClientSecret) }
                .Where(p => string.IsNullOrEmpty(p.Item2)).Select(p => Field(p.Item1));
            yield return $"A service principal needs {Field(nameof(AzureDevOpsOptions.TenantId))}, {Field(nameof(AzureDevOpsOptions.ClientId))} and {Field(nameof(AzureDevOpsOptions.ClientSecret))}; {string.Join(" and ", missing)} missing.";
        }
        else if (principal == 3 && !Guid.TryParse(options.ClientId, out _))
        {
            yield return $"{Field(nameof(AzureDevOpsOptions.ClientId))} is '{options.ClientId}', which is not an application (client) id: give the GUID of the app registration.";
        }

        foreach (var problem in options.Http.Validate(Field(nameof(AzureDevOpsOptions.Http))))
        {
            yield return problem;
        }
    }

    [GeneratedRegex(@"^\d+\.\d+(-preview(\.\d+)?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex ApiVersion();
}
