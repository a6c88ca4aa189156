using CodeDoc.Core;

namespace CodeDoc.Core.Tests;

public sealed class DocumentSetValidatorTests
{
    [Fact]
    public void Validate_WellFormedTree_NoProblems() =>
        Assert.Empty(DocumentSetValidator.Validate(Set(Page("overview"), Page("modules"), Page("module-a", "modules"))));

    [Theory]
    [InlineData("Overview")]
    [InlineData("-lead")]
    [InlineData("a/b")]
    [InlineData("../x")]
    [InlineData("")]
    public void Validate_BadKey_NamesTheKeyAndTheRule(string key)
    {
        var problems = DocumentSetValidator.Validate(Set(Page(key)));

        Assert.Contains(problems, p => p.Contains($"'{key}'", StringComparison.Ordinal) && p.Contains("lowercase", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_DuplicateKeys_Reported() =>
        Assert.Contains(DocumentSetValidator.Validate(Set(Page("a"), Page("a"))), p => p.Contains("more than one page", StringComparison.Ordinal));

    [Fact]
    public void Validate_MissingParent_Reported() =>
        Assert.Contains(DocumentSetValidator.Validate(Set(Page("a", "ghost"))), p => p.Contains("'ghost'", StringComparison.Ordinal));

    [Fact]
    public void Validate_ParentCycle_Reported() =>
        Assert.Contains(DocumentSetValidator.Validate(Set(Page("a", "b"), Page("b", "a"))), p => p.Contains("cycle", StringComparison.Ordinal));

    [Fact]
    public void Validate_NoPages_Reported() =>
        Assert.Contains(DocumentSetValidator.Validate(Set()), p => p.Contains("no pages", StringComparison.Ordinal));

    [Theory]
    [InlineData("../evil.png")]
    [InlineData(".hidden")]
    [InlineData("a/b.png")]
    public void Validate_UnsafeAttachmentName_Reported(string name)
    {
        var page = Page("a") with { Attachments = [new PageAttachment(name, "image/png", new byte[] { 1 })] };

        Assert.Contains(DocumentSetValidator.Validate(Set(page)), p => p.Contains("attachment", StringComparison.Ordinal));
    }

    [Fact]
    public void ThrowIfInvalid_Invalid_ThrowsWithEveryProblem()
    {
        var error = Assert.Throws<InvalidDocumentSetException>(() => DocumentSetValidator.ThrowIfInvalid(Set(Page("a", "ghost"), Page("B"))));

        Assert.Equal(2, error.Problems.Count);
        Assert.Contains("nothing was published", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateId_WithAndWithoutBranch_StableForm()
    {
        Assert.Equal("github.com/o/r@main", DocumentSet.CreateId("github.com/o/r", "main"));
        Assert.Equal("local/x", DocumentSet.CreateId("local/x", null));
    }

    private static DocumentPage Page(string key, string? parent = null) =>
        new() { Key = key, Title = "Title " + key, ParentKey = parent, Markdown = "# " + key };

    private static DocumentSet Set(params DocumentPage[] pages) => new()
    {
        Id = "local/repo@main",
        Title = "repo",
        Source = new DocumentSource("local/repo", "abc", "main"),
        Pages = pages,
    };
}
