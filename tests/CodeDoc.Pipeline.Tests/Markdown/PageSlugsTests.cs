using CsCheck;

namespace CodeDoc.Pipeline.Tests.Markdown;

public sealed class PageSlugsTests
{
    [Theory]
    [InlineData("Getting started", "getting-started")]
    [InlineData("Überblick & Ziele", "uberblick-ziele")]
    [InlineData("Straße, Œuvre, Ørsted", "strasse-oeuvre-orsted")]
    [InlineData("C# / .NET API", "c-net-api")]
    [InlineData("../../etc/passwd", "etc-passwd")]
    [InlineData("  --Leading and trailing--  ", "leading-and-trailing")]
    [InlineData("CON", "con-page")]
    [InlineData("lpt1", "lpt1-page")]
    [InlineData("概要", "overview-ja")]
    [InlineData("...", "overview-ja")]
    public void For_Title_MakesASafeStableSlug(string title, string expected) =>
        Assert.Equal(expected, PageSlugs.For(title, "overview-ja"));

    [Fact]
    public void For_LongTitle_IsCutAtAWordBoundary()
    {
        var title = string.Join(' ', Enumerable.Repeat("documentation", 12));

        var slug = PageSlugs.For(title, "key");

        Assert.True(slug.Length <= PageSlugs.MaxLength);
        Assert.EndsWith("-documentation", slug, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("setup", "setup", true)]
    [InlineData("setup-2", "setup", true)]
    [InlineData("setup-17", "setup", true)]
    [InlineData("setup-1", "setup", false)]
    [InlineData("setup-02", "setup", false)]
    [InlineData("setup-guide", "setup", false)]
    [InlineData("setupx", "setup", false)]
    public void IsNameFor_Stem_RecognizesTheSlugAndItsNumberedNames(string stem, string slug, bool expected) =>
        Assert.Equal(expected, PageSlugs.IsNameFor(stem, slug));

    [Fact]
    public void For_AnyTitle_GivesOnlyLowercaseLettersDigitsAndSingleHyphens()
    {
        Gen.String.Sample(title =>
        {
            var slug = PageSlugs.For(title, "fallback");

            Assert.Matches("^[a-z0-9]+(-[a-z0-9]+)*$", slug);
            Assert.True(slug.Length <= PageSlugs.MaxLength + "-page".Length, slug);
        });
    }
}
