using System.Net.Http.Headers;
using System.Text;
using CodeDoc.Core;
using CodeDoc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CodeDoc.Publishing.Confluence.Tests;

/// <summary>
/// Publishes to a real Confluence when <c>CONFLUENCE_BASE_URL</c>, <c>CONFLUENCE_SPACE_KEY</c> and credentials are in the
/// environment (Cloud: <c>CONFLUENCE_EMAIL</c> and <c>CONFLUENCE_API_TOKEN</c>; Data Center: <c>CONFLUENCE_PAT</c>;
/// optionally <c>CONFLUENCE_PARENT_PAGE_ID</c>); skipped otherwise. The pages it creates are trashed at the end.
/// </summary>
public sealed class ConfluenceLiveTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PublishAsync_LiveSite_CreatesThenWritesNothingOnRerun()
    {
        var baseUrl = Environment.GetEnvironmentVariable("CONFLUENCE_BASE_URL");
        var spaceKey = Environment.GetEnvironmentVariable("CONFLUENCE_SPACE_KEY");
        var email = Environment.GetEnvironmentVariable("CONFLUENCE_EMAIL");
        var token = Environment.GetEnvironmentVariable("CONFLUENCE_API_TOKEN");
        var pat = Environment.GetEnvironmentVariable("CONFLUENCE_PAT");
        Assert.SkipWhen(
            string.IsNullOrEmpty(baseUrl) || string.IsNullOrEmpty(spaceKey) || (string.IsNullOrEmpty(pat) && (string.IsNullOrEmpty(email) || string.IsNullOrEmpty(token))),
            "Set CONFLUENCE_BASE_URL, CONFLUENCE_SPACE_KEY and CONFLUENCE_EMAIL + CONFLUENCE_API_TOKEN (Cloud) or CONFLUENCE_PAT (Data Center) to run against a live site.");

        var run = Guid.NewGuid().ToString("N")[..8];
        var basic = SampleDocumentSets.Basic($"codedoc-live-{run}");
        var set = basic with { Pages = [.. basic.Pages.Select(p => p with { Title = $"{p.Title} [{run}]" })] };
        var services = new ServiceCollection();
        new TestCodeDocBuilder(services).AddConfluence("live", o =>
        {
            o.BaseAddress = new Uri(baseUrl!);
            o.SpaceKey = spaceKey;
            o.ParentPageId = Environment.GetEnvironmentVariable("CONFLUENCE_PARENT_PAGE_ID");
            o.Email = email;
            o.ApiToken = token;
            o.PersonalAccessToken = pat;
            o.RemovedPages = ConfluenceRemovedPages.Delete;
        });
        await using var provider = services.BuildServiceProvider();
        var publisher = provider.GetRequiredKeyedService<IDocPublisher>("live");

        var check = await publisher.CheckAccessAsync(Ct);
        Assert.True(check.Succeeded, string.Join(Environment.NewLine, check.Problems.Select(p => $"{p.Name}: {p.Message}")));
        var created = await publisher.PublishAsync(set, null, Ct);
        var manifest = await publisher.ReadManifestAsync(set.Id, Ct);
        try
        {
            var again = await publisher.PublishAsync(set, null, Ct);

            Assert.All(created.Pages, p => Assert.Equal(PageOutcomeKind.Created, p.Kind));
            Assert.All(again.Pages, p => Assert.Equal(PageOutcomeKind.Unchanged, p.Kind));
        }
        finally
        {
            await TrashAsync(new Uri(baseUrl!), email, token, pat, manifest?.Pages.Select(p => p.TargetId) ?? []);
        }
    }

    private static async Task TrashAsync(Uri baseUrl, string? email, string? token, string? pat, IEnumerable<string> ids)
    {
        var cloud = string.IsNullOrEmpty(pat);
        using var client = new HttpClient { BaseAddress = new Uri(baseUrl.AbsoluteUri.TrimEnd('/') + (cloud && !baseUrl.AbsolutePath.Contains("/wiki", StringComparison.Ordinal) ? "/wiki/" : "/")) };
        client.DefaultRequestHeaders.Authorization = cloud
            ? new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{email}:{token}")))
            : new AuthenticationHeaderValue("Bearer", pat);
        foreach (var id in ids.Reverse())
        {
            (await client.DeleteAsync(cloud ? $"api/v2/pages/{id}" : $"rest/api/content/{id}", Ct)).Dispose();
        }
    }
}
