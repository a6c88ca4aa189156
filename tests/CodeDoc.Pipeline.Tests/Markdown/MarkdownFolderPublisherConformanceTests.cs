using CodeDoc.Core;
using CodeDoc.Testing;

namespace CodeDoc.Pipeline.Tests.Markdown;

public sealed class MarkdownFolderPublisherConformanceTests : DocPublisherConformanceTests
{
    private readonly TempFolder _temp = new();

    protected override string Kind => "markdown";

    protected override string InvalidOptionName => "CodeDoc:Markdown:OutputPath";

    protected override void AddPublisher(ICodeDocBuilder builder, string name) =>
        builder.AddMarkdownFolder(name, o => o.OutputPath = Path.Combine(_temp.Root, name));

    protected override void AddPublisherWithInvalidOptions(ICodeDocBuilder builder, string name) =>
        builder.AddMarkdownFolder(name, o => o.OutputPath = " ");

    protected override ValueTask DisposeTargetAsync()
    {
        _temp.Dispose();
        return ValueTask.CompletedTask;
    }
}
