namespace CodeDoc.Publishing.Confluence;

/// <summary>
/// Finds the holders of a title through CQL (<c>GET rest/api/content/search</c>, on Cloud and Data Center alike).
/// CQL's <c>title =</c> ignores case, as Confluence's title uniqueness does; the results are checked again here
/// because a search index may also match near spellings.
/// </summary>
internal static class TitleSearch
{
    private const int Limit = 25;

    /// <summary>Builds the query for one title in one space.</summary>
    /// <param name="spaceKey">The space key.</param>
    /// <param name="title">The title.</param>
    /// <returns>The CQL.</returns>
    public static string Cql(string spaceKey, string title) => $"space = {Quote(spaceKey)} and type = page and title = {Quote(title)}";

    /// <summary>Runs the search.</summary>
    /// <param name="v1">The v1 client.</param>
    /// <param name="calls">Runs calls and translates failures.</param>
    /// <param name="space">The space.</param>
    /// <param name="title">The title.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The current pages whose title equals <paramref name="title"/> ignoring case.</returns>
    public static async Task<IReadOnlyList<SitePage>> FindAsync(IConfluenceV1Api v1, SiteCalls calls, SiteSpace space, string title, CancellationToken cancellationToken)
    {
        var found = await calls.ExpectAsync(
            ct => v1.SearchContentAsync(Cql(space.Key, title), "version,ancestors", Limit, ct), "search for a title", $"title \"{title}\" in space {space.Key}", cancellationToken)
            .ConfigureAwait(false);
        return found.Results
            .Select(DataCenterSite.Map)
            .Where(p => string.Equals(p.Title, title, StringComparison.OrdinalIgnoreCase))
            .ToList();
    }

    // CQL strings are double-quoted with backslash escapes.
    private static string Quote(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
