using CodeDoc.Core;
using Microsoft.Extensions.Logging;

namespace CodeDoc.Pipeline;

/// <summary>
/// Builds the symbol index of a snapshot: every file of a language with an indexer is indexed in parallel (one file's
/// tokens or syntax tree at a time per worker, so memory stays bounded by the definitions kept), and every project
/// manifest is read. A file an indexer cannot handle counts as file-level and is logged; it never fails the run.
/// </summary>
internal sealed class SymbolIndexBuilder : ISymbolIndexBuilder
{
    /// <summary>The depth a language with an indexer reaches.</summary>
    public const string SymbolsDepth = "symbols";

    /// <summary>The depth of a language without an indexer.</summary>
    public const string FileLevelDepth = "file-level";

    private readonly Dictionary<string, ILanguageIndexer> _indexers;
    private readonly ILogger<SymbolIndexBuilder> _logger;

    public SymbolIndexBuilder(ILogger<SymbolIndexBuilder> logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        _logger = logger;
        ILanguageIndexer[] indexers =
        [
            new CSharpIndexer(), new TypeScriptIndexer("typescript"), new TypeScriptIndexer("javascript"), new PythonIndexer(), new JavaIndexer(), new GoIndexer(),
        ];
        _indexers = indexers.ToDictionary(i => i.Language, StringComparer.Ordinal);
    }

    /// <summary>Gets the languages with an indexer.</summary>
    public IReadOnlyCollection<string> IndexedLanguages => _indexers.Keys;

    public async Task<ISymbolIndex> BuildAsync(RepositorySnapshot snapshot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var work = new List<(SnapshotFile File, ILanguageIndexer Indexer)>();
        var coverage = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var file in snapshot.Files)
        {
            var language = SourceLanguages.Of(file.Path);
            if (language is null)
            {
                continue;
            }

            coverage[language] = coverage.GetValueOrDefault(language) + 1;
            if (_indexers.TryGetValue(language, out var indexer))
            {
                if (file.Content is null)
                {
                    throw new ArgumentException(
                        $"The snapshot of {snapshot.CommitSha} holds no file content ('{file.Path}' has none). Read it with SnapshotOptions.RetainContent = true before building the symbol index.",
                        nameof(snapshot));
                }

                work.Add((file, indexer));
            }
        }

        var results = new SymbolSink?[work.Count];
        var failed = new bool[work.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, work.Count),
            new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount },
            (index, token) =>
            {
                token.ThrowIfCancellationRequested();
                var (file, indexer) = work[index];
                var sink = new SymbolSink(file.Path, indexer.Language);
                try
                {
                    indexer.Index(file.Path, file.Content!, sink);
                    results[index] = sink;
                }
#pragma warning disable CA1031 // One file's odd syntax must not fail the whole index: the file is reported as file-level.
                catch (Exception exception) when (exception is not OperationCanceledException)
#pragma warning restore CA1031
                {
                    failed[index] = true;
                    _logger.IndexFailed(exception, file.Path, indexer.Language);
                }

                return ValueTask.CompletedTask;
            }).ConfigureAwait(false);

        var symbols = new List<CodeSymbol>();
        var baseTypes = new List<(string, string)>();
        var namespaces = new HashSet<string>(StringComparer.Ordinal);
        var failedByLanguage = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < results.Length; i++)
        {
            if (failed[i])
            {
                failedByLanguage[work[i].Indexer.Language] = failedByLanguage.GetValueOrDefault(work[i].Indexer.Language) + 1;
                continue;
            }

            var sink = results[i]!;
            foreach (var symbol in sink.Symbols)
            {
                // A namespace or package is declared by every file in it; keep its first declaration.
                if (symbol.Kind != CodeSymbolKind.Namespace || namespaces.Add(symbol.Language + ":" + symbol.QualifiedName))
                {
                    symbols.Add(symbol);
                }
            }

            baseTypes.AddRange(sink.BaseTypes);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var projects = ProjectManifests.Read(snapshot.Files);
        var languages = new List<LanguageCoverage>();
        foreach (var (language, files) in coverage)
        {
            var indexed = _indexers.ContainsKey(language);
            var failures = failedByLanguage.GetValueOrDefault(language);
            languages.Add(new LanguageCoverage(language, files, indexed && failures < files ? SymbolsDepth : FileLevelDepth));
        }

        languages.Sort((a, b) => b.Files != a.Files ? b.Files.CompareTo(a.Files) : string.CompareOrdinal(a.Language, b.Language));
        _logger.Indexed(snapshot.CommitSha, symbols.Count, work.Count, projects.Count);
        return new SymbolIndex(symbols, projects, languages, baseTypes);
    }
}
