using CodeDoc.Core;
using CodeDoc.Testing;
using CsCheck;

namespace CodeDoc.Publishing.Confluence.Tests;

/// <summary>Labels follow Confluence's rules whatever the repository is called.</summary>
public sealed class PageLabelsTests
{
    private const string Forbidden = ":;,.?&[]()#^*@!";

    [Theory]
    [InlineData("github.com/Org/My Repo", "github-com-org-my-repo")]
    [InlineData("dev.azure.com/contoso/Project X/_git/Repo.Name", "dev-azure-com-contoso-project-x-_git-repo-name")]
    [InlineData("gitlab.com/group/sub-group/repo_name", "gitlab-com-group-sub-group-repo_name")]
    [InlineData("bitbucket.org/team/repo@release/2.0", "bitbucket-org-team-repo-release-2-0")]
    [InlineData("C:\\src\\Widgets", "c-src-widgets")]
    [InlineData("  Standard   preset  ", "standard-preset")]
    [InlineData("weird!@#$%^&*()[]{};:,.?<>|label", "weird-label")]
    [InlineData("\uFF37\uFF49\uFF44\uFF47\uFF45\uFF54\uFF53", "widgets")]
    [InlineData("Caf\u0065\u0301 \u00D8rg", "caf\u00E9-\u00F8rg")]
    [InlineData("\U0001F600 emoji repo", "emoji-repo")]
    [InlineData("\uD800lone", "lone")]
    [InlineData("-._-", "_")]
    [InlineData("---", "")]
    [InlineData("   ", "")]
    public void Normalize_OddRepositoryNames_FollowConfluenceLabelRules(string label, string expected) =>
        Assert.Equal(expected, PageLabels.Normalize(label));

    [Fact]
    public void Normalize_LongLabel_IsCutTo255WithoutATrailingDash()
    {
        Assert.Equal(new string('a', 255), PageLabels.Normalize(new string('A', 300)));
        Assert.Equal(new string('x', 254), PageLabels.Normalize(new string('x', 254) + "/yyy"));
    }

    [Fact]
    public void Normalize_AnyText_GivesALabelConfluenceAccepts()
    {
        var odd = Gen.Char["Aa zZ09/.:;,?&[]()#^*@!-_\t\n\u00A0\u0130\u0301\u00E9\u00D8\uFF37\uD83D\uDE00\uD800"].Array[0, 300].Select(c => new string(c));
        Gen.OneOf(Gen.String, odd).Sample(label =>
        {
            var normalized = PageLabels.Normalize(label);
            Assert.True(normalized.Length <= 255, normalized);
            Assert.DoesNotContain(normalized, c => char.IsWhiteSpace(c) || Forbidden.Contains(c, StringComparison.Ordinal) || char.IsSurrogate(c) || char.IsUpper(c));
            Assert.False(normalized.StartsWith('-') || normalized.EndsWith('-'), normalized);
            Assert.Equal(normalized, PageLabels.Normalize(normalized));
        }, iter: 5000);
    }

    [Fact]
    public void For_SetAndPageLabels_AreNormalizedDistinctAndAlwaysIncludeCodedoc()
    {
        var set = SampleDocumentSets.Basic() with { Labels = ["Standard", "github.com/Org/Repo", "CODEDOC"] };
        var page = set.Pages[0] with { Labels = ["How To", "how-to", "  "] };

        Assert.Equal(["codedoc", "github-com-org-repo", "how-to", "standard"], PageLabels.For(set, page));
        Assert.Equal(["codedoc", "github-com-org-repo", "standard"], PageLabels.For(set, null));
        Assert.Equal(["codedoc"], PageLabels.For(set with { Labels = [] }, null));
    }
}
