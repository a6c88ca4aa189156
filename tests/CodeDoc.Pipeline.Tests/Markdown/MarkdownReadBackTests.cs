using CodeDoc.Core;
using CodeDoc.Testing;

namespace CodeDoc.Pipeline.Tests.Markdown;

public sealed class MarkdownReadBackTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task ReadPageMarkdown_SampleSet_RepublishingWhatWasReadChangesNothing()
    {
        var publisher = MarkdownTest.Publisher(_folder.Output);
        var set = SampleDocumentSets.Basic();
        await publisher.PublishAsync(set, cancellationToken: Token);

        var pages = new List<DocumentPage>();
        foreach (var page in set.Pages)
        {
            var markdown = await publisher.ReadPageMarkdownAsync(set.Id, page.Key, Token);
            Assert.NotNull(markdown);
            pages.Add(page with { Markdown = markdown });
        }

        var again = await publisher.PublishAsync(set with { Pages = pages }, cancellationToken: Token);

        Assert.All(again.Pages, p => Assert.Equal(PageOutcomeKind.Unchanged, p.Kind));
    }

    [Fact]
    public async Task ReadPageMarkdown_LinksToOtherPages_ComeBackInPageSchemeForm()
    {
        var publisher = MarkdownTest.Publisher(_folder.Output);
        var set = SampleDocumentSets.Basic();
        await publisher.PublishAsync(set, cancellationToken: Token);

        var overview = await publisher.ReadPageMarkdownAsync(set.Id, "overview", Token);

        Assert.NotNull(overview);
        Assert.Contains("(codedoc-page:getting-started)", overview, StringComparison.Ordinal);
        Assert.Contains("(codedoc-page:components#public-api)", overview, StringComparison.Ordinal);
        Assert.DoesNotContain(MarkdownPageRenderer.PageHeader, overview, StringComparison.Ordinal);
        Assert.DoesNotContain("Team notes", overview, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadPageMarkdown_UnknownPageOrSet_ReturnsNull()
    {
        var publisher = MarkdownTest.Publisher(_folder.Output);
        var set = SampleDocumentSets.Basic();
        await publisher.PublishAsync(set, cancellationToken: Token);

        Assert.Null(await publisher.ReadPageMarkdownAsync(set.Id, "no-such-page", Token));
        Assert.Null(await publisher.ReadPageMarkdownAsync("other/set", "overview", Token));
    }
}
