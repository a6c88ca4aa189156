using Microsoft.Extensions.Options;

namespace CodeDoc.Pipeline;

/// <summary>
/// Validates the options of one named local provider registration; the messages name the configuration field the
/// registration reads, so the fix is obvious wherever the options came from.
/// </summary>
/// <param name="registrationName">The options name (the provider registration name) this validator checks.</param>
/// <param name="configurationPath">The configuration path of the options, e.g. <c>CodeDoc:Local</c>.</param>
internal sealed class LocalRepositoryOptionsValidator(string registrationName, string configurationPath) : IValidateOptions<LocalRepositoryOptions>
{
    public ValidateOptionsResult Validate(string? name, LocalRepositoryOptions options)
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
    /// <param name="configurationPath">The configuration path the field names start with; empty for bare keys.</param>
    /// <returns>One message per problem.</returns>
    internal static IEnumerable<string> Check(LocalRepositoryOptions options, string configurationPath)
    {
        var field = configurationPath.Length == 0
            ? nameof(LocalRepositoryOptions.AllowedRoots)
            : $"{configurationPath}:{nameof(LocalRepositoryOptions.AllowedRoots)}";
        for (var i = 0; i < options.AllowedRoots.Count; i++)
        {
            var root = options.AllowedRoots[i];
            if (string.IsNullOrWhiteSpace(root))
            {
                yield return $"{field}:{i} is empty: give the absolute path of a folder repositories may be read from, or remove the entry.";
            }
            else if (!Path.IsPathFullyQualified(root))
            {
                yield return $"{field}:{i} is '{root}', which is not an absolute path: give the full path of the folder " +
                    "(relative roots are refused because the current directory differs between processes).";
            }
            else if (!Directory.Exists(root))
            {
                yield return $"{field}:{i} is '{root}', which does not exist or is not a folder: create it, correct the path, or remove the entry.";
            }
        }
    }
}
