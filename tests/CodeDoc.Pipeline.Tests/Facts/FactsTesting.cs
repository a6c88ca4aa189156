namespace CodeDoc.Pipeline.Tests.Facts;

internal static class FactsTesting
{
    public static SymbolSink Index(ILanguageIndexer indexer, string path, string source)
    {
        var sink = new SymbolSink(path, indexer.Language);
        indexer.Index(path, source, sink);
        return sink;
    }

    public static CodeSymbol Single(this SymbolSink sink, string qualifiedName) =>
        Assert.Single(sink.Symbols, s => s.QualifiedName == qualifiedName);

    public static IReadOnlyList<string> Names(this SymbolSink sink) => sink.Symbols.Select(s => s.QualifiedName).ToList();
}
