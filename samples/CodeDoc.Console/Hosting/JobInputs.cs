using System.Globalization;
using System.Text;
using CodeDoc.Core;

namespace CodeDoc.ConsoleHost.Hosting;

/// <summary>Derives a repository id from its URL or folder: <c>https://github.com/acme/api.git</c> becomes <c>acme-api</c>.</summary>
internal static class RepositoryIds
{
    public static string From(string location)
    {
        string[] segments;
        if (Uri.TryCreate(location, UriKind.Absolute, out var uri) && !uri.IsFile)
        {
            segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        }
        else if (location.Contains('@', StringComparison.Ordinal) && location.Contains(':', StringComparison.Ordinal))
        {
            segments = location[(location.IndexOf(':', StringComparison.Ordinal) + 1)..].Split('/', StringSplitOptions.RemoveEmptyEntries);
        }
        else
        {
            segments = [Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(location)))];
        }

        // Host URL forms carry routing words (Azure DevOps "_git", Bitbucket "projects"/"repos"): keep the last two names.
        var names = segments.Where(s => !s.StartsWith('_') && s is not ("projects" or "repos" or "scm")).Select(s => s.EndsWith(".git", StringComparison.OrdinalIgnoreCase) ? s[..^4] : s).TakeLast(2);
        var id = new StringBuilder();
        foreach (var c in string.Join('-', names).ToLowerInvariant())
        {
            id.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' ? c : '-');
        }

        var trimmed = id.ToString().Trim('-', '.', '_');
        return trimmed.Length == 0 ? "repository" : trimmed[..Math.Min(trimmed.Length, 64)].TrimEnd('-', '.', '_');
    }
}

/// <summary>The webhook host kinds the endpoints accept, and the kind a well-known cloud URL implies.</summary>
internal static class WebhookHosts
{
    public static readonly IReadOnlyList<string> Kinds = ["github", "gitlab", "bitbucket-cloud", "bitbucket-dc", "azure-devops"];

    public static string? FromUrl(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.IsFile)
        {
            return null;
        }

        return uri.Host.ToLowerInvariant() switch
        {
            "github.com" or "www.github.com" => "github",
            "gitlab.com" => "gitlab",
            "bitbucket.org" => "bitbucket-cloud",
            "dev.azure.com" => "azure-devops",
            var host when host.EndsWith(".visualstudio.com", StringComparison.Ordinal) => "azure-devops",
            _ => null,
        };
    }
}

/// <summary>Reads and writes intervals the way people type them: <c>90s</c>, <c>15m</c>, <c>2h</c>, <c>1d</c> or <c>00:15:00</c>.</summary>
internal static class Intervals
{
    public static TimeSpan Parse(string text, string option)
    {
        var trimmed = text.Trim();
        if (trimmed.Length > 1 && long.TryParse(trimmed[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count > 0)
        {
            TimeSpan? parsed = char.ToLowerInvariant(trimmed[^1]) switch
            {
                's' => TimeSpan.FromSeconds(count),
                'm' => TimeSpan.FromMinutes(count),
                'h' => TimeSpan.FromHours(count),
                'd' => TimeSpan.FromDays(count),
                _ => null,
            };
            if (parsed is { } value)
            {
                return value;
            }
        }

        if (TimeSpan.TryParse(trimmed, CultureInfo.InvariantCulture, out var span) && span > TimeSpan.Zero)
        {
            return span;
        }

        throw new CodeDocConfigurationException($"{option} is '{text}', which is not an interval. Write e.g. 15m, 1h, 1d or 00:15:00.");
    }

    public static string Format(TimeSpan interval) =>
        interval.TotalDays >= 1 && interval.TotalDays == Math.Floor(interval.TotalDays) ? string.Create(CultureInfo.InvariantCulture, $"{interval.TotalDays:0}d")
        : interval.TotalHours >= 1 && interval.TotalHours == Math.Floor(interval.TotalHours) ? string.Create(CultureInfo.InvariantCulture, $"{interval.TotalHours:0}h")
        : interval.TotalMinutes >= 1 && interval.TotalMinutes == Math.Floor(interval.TotalMinutes) ? string.Create(CultureInfo.InvariantCulture, $"{interval.TotalMinutes:0}m")
        : interval.ToString("c", CultureInfo.InvariantCulture);
}
