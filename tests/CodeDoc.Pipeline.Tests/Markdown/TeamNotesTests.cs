using CsCheck;

namespace CodeDoc.Pipeline.Tests.Markdown;

public sealed class TeamNotesTests
{
    private const string Page = """
        # Title

        Generated text.

        <!-- codedoc:team-notes id="notes" -->
        <!-- /codedoc:team-notes -->

        More generated text.

        """;

    [Fact]
    public void Find_MarkersInsideCode_AreText()
    {
        var text = "Intro.\n\n```md\n<!-- codedoc:team-notes id=\"fake\" -->\n<!-- /codedoc:team-notes -->\n```\n\n    <!-- codedoc:team-notes id=\"indented\" -->\n\n"
            + "<!-- codedoc:team-notes id=\"real\" -->\nBody.\n<!-- /codedoc:team-notes -->\n";

        var block = Assert.Single(TeamNotes.Find(text));

        Assert.Equal("real", block.Id);
        Assert.Equal("Body.\n", text[block.BodyStart..block.BodyEnd]);
    }

    [Fact]
    public void Find_UnclosedBlock_RunsToTheEnd()
    {
        var text = "Intro.\n<!-- codedoc:team-notes id=\"a\" -->\nLine one.\nLine two.";

        var block = Assert.Single(TeamNotes.Find(text));

        Assert.Equal("Line one.\nLine two.", text[block.BodyStart..block.BodyEnd]);
    }

    [Fact]
    public void Find_CodeBlockOpenedInsideNotesAndNeverClosed_DoesNotHideTheEndMarker()
    {
        var text = "<!-- codedoc:team-notes id=\"a\" -->\n```\nforgot to close\n<!-- /codedoc:team-notes -->\n\nGenerated.\n";

        var block = Assert.Single(TeamNotes.Find(text));

        Assert.Equal("```\nforgot to close\n", text[block.BodyStart..block.BodyEnd]);
    }

    [Fact]
    public void ContentHash_DiffersOnlyWhenTextOutsideTheBodiesChanges()
    {
        var withNote = Page.Replace("-->\n<!-- /", "-->\nA note.\n<!-- /", StringComparison.Ordinal);
        var edited = Page.Replace("Generated text.", "Edited text.", StringComparison.Ordinal);

        Assert.Equal(TeamNotes.ContentHash(Page), TeamNotes.ContentHash(withNote));
        Assert.NotEqual(TeamNotes.ContentHash(Page), TeamNotes.ContentHash(edited));
        Assert.Matches("^[0-9a-f]{64}$", TeamNotes.ContentHash(Page));
    }

    [Fact]
    public void Merge_KeptNotes_FillMatchingBlocksAndAppendTheRestWithContent()
    {
        var kept = new[] { new TeamNote("notes", "Mine.\n"), new TeamNote("gone", "Still mine.\n"), new TeamNote("empty", "  \n") };

        var merged = TeamNotes.Merge(Page, kept);

        Assert.Equal(
            Page.Replace("-->\n<!-- /", "-->\nMine.\n<!-- /", StringComparison.Ordinal) +
            $"\n{TeamNotes.KeptNotesHeading}\n\n<!-- codedoc:team-notes id=\"gone\" -->\nStill mine.\n<!-- /codedoc:team-notes -->\n",
            merged);
    }

    [Fact]
    public void NotesWrittenByPeople_AnyBody_SurviveARoundTripAndNeverChangeTheHash()
    {
        var bodies = Gen.String[Gen.Char["abcXYZ 0123`~#*-_[]()!\t\n"], 0, 200];
        bodies.Sample(body =>
        {
            var file = TeamNotes.Merge(Page, [new TeamNote("notes", body)]);

            var notes = TeamNotes.Extract(file);

            Assert.Equal(TeamNotes.ContentHash(Page), TeamNotes.ContentHash(file));
            Assert.Equal(body.Length == 0 || body.EndsWith('\n') ? body : body + "\n", Assert.Single(notes).Body);
            Assert.Equal(file, TeamNotes.Merge(Page, notes));
        });
    }
}
