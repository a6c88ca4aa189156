using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace CodeDoc.Pipeline;

/// <summary>
/// Validates the options of one named Markdown folder publisher. Messages name the configuration key the value came
/// from (e.g. <c>CodeDoc:Markdown:OutputPath</c>), the value and the fix.
/// </summary>
/// <param name="name">The options name (the publisher's registration name) this validator checks.</param>
/// <param name="configurationPath">The configuration path of the options, e.g. <c>CodeDoc:Markdown</c>; empty for run-time settings.</param>
internal sealed partial class MarkdownFolderOptionsValidator(string name, string configurationPath) : IValidateOptions<MarkdownFolderOptions>
{
    /// <summary>Gets the options name this validator checks.</summary>
    public string Name { get; } = name;

    public ValidateOptionsResult Validate(string? name, MarkdownFolderOptions options)
    {
        if (!string.Equals(name ?? Options.DefaultName, Name, StringComparison.Ordinal))
        {
            return ValidateOptionsResult.Skip;
        }

        ArgumentNullException.ThrowIfNull(options);
        var failures = Check(options).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Lists the problems of a set of options; empty when they are valid.</summary>
    /// <param name="options">The options.</param>
    /// <returns>One message per problem.</returns>
    public IEnumerable<string> Check(MarkdownFolderOptions options)
    {
        var outputPath = Field("OutputPath");
        if (string.IsNullOrWhiteSpace(options.OutputPath))
        {
            var state = options.OutputPath is null ? "not set" : $"'{options.OutputPath}', which is empty,";
            yield return $"{outputPath} is {state} for the Markdown folder publisher '{Name}': set it to the folder that " +
                "should receive the documentation, e.g. 'docs' (a relative path resolves against the current directory).";
        }
        else if (ResolveFullPath(options.OutputPath) is not { } full)
        {
            yield return $"{outputPath} is '{options.OutputPath}', which is not a valid folder path: give a folder path such as 'docs' or '/srv/wiki/my-repo'.";
        }
        else if (File.Exists(full))
        {
            yield return $"{outputPath} is '{options.OutputPath}', which is an existing file: give a folder (it is created on the first publish).";
        }

        if (!Enum.IsDefined(options.RemovedPages))
        {
            yield return $"{Field("RemovedPages")} is '{options.RemovedPages}': use Delete or Archive.";
        }

        if (string.IsNullOrEmpty(options.IndexFileName) || !IndexFileNamePattern().IsMatch(options.IndexFileName))
        {
            yield return $"{Field("IndexFileName")} is '{options.IndexFileName}': use a plain file name ending in .md, such as index.md " +
                "or README.md (letters, digits, '.', '-' and '_'; no folders, no leading dot).";
        }
    }

    /// <summary>Resolves an output path against the current directory.</summary>
    /// <param name="path">The configured path.</param>
    /// <returns>The full path, or <see langword="null"/> when the path is not valid.</returns>
    public static string? ResolveFullPath(string path)
    {
        if (path.Contains('\0', StringComparison.Ordinal) || path.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            return null;
        }

        try
        {
            return Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException or System.Security.SecurityException)
        {
            return null;
        }
    }

    private string Field(string property) => configurationPath.Length == 0 ? property : $"{configurationPath}:{property}";

    [GeneratedRegex(@"^[A-Za-z0-9_-][A-Za-z0-9._-]*\.[mM][dD]$", RegexOptions.CultureInvariant)]
    private static partial Regex IndexFileNamePattern();
}
