using System.Runtime.CompilerServices;
using System.Text;
using CodeDoc.Core;

namespace CodeDoc.Pipeline.Tests.Snapshot;

/// <summary>
/// An entry source like a folder walk: each directory yields its .gitignore first, then its files, then each
/// subdirectory (asking before descending). Records which files were opened and which directories it was asked about.
/// </summary>
public sealed class InMemoryEntryTree
{
    private readonly SortedDictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private readonly List<RepositoryEntry> _extra = [];

    public List<string> Opened { get; } = [];

    public List<string> AskedToEnter { get; } = [];

    public Func<string, Stream>? OpenOverride { get; init; }

    public InMemoryEntryTree File(string path, string content) => File(path, Encoding.UTF8.GetBytes(content));

    public InMemoryEntryTree File(string path, byte[] content)
    {
        _files[path] = content;
        return this;
    }

    public InMemoryEntryTree Entry(RepositoryEntry entry)
    {
        _extra.Add(entry);
        return this;
    }

    public EntryRepositoryTree ToTree() => new(SnapshotTestHost.Sha, EnumerateAsync);

    private async IAsyncEnumerable<RepositoryEntry> EnumerateAsync(Func<string, bool> shouldEnterDirectory, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var entry in Walk(string.Empty, shouldEnterDirectory))
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return entry;
        }

        foreach (var entry in _extra)
        {
            yield return entry;
        }
    }

    private IEnumerable<RepositoryEntry> Walk(string directory, Func<string, bool> shouldEnterDirectory)
    {
        var prefix = directory.Length == 0 ? string.Empty : directory + "/";
        var below = _files.Keys.Where(p => p.StartsWith(prefix, StringComparison.Ordinal)).Select(p => p[prefix.Length..]).ToList();
        var files = below.Where(p => !p.Contains('/', StringComparison.Ordinal)).OrderBy(p => p == ".gitignore" ? 0 : 1).ThenBy(p => p, StringComparer.Ordinal);
        foreach (var name in files)
        {
            var path = prefix + name;
            var content = _files[path];
            yield return new RepositoryEntry(path, RepositoryEntryKind.File, content.Length, _ =>
            {
                Opened.Add(path);
                return ValueTask.FromResult(OpenOverride?.Invoke(path) ?? new NonSeekableStream(content));
            });
        }

        foreach (var sub in below.Where(p => p.Contains('/', StringComparison.Ordinal)).Select(p => p[..p.IndexOf('/', StringComparison.Ordinal)]).Distinct().Order(StringComparer.Ordinal))
        {
            var path = prefix + sub;
            yield return new RepositoryEntry(path, RepositoryEntryKind.Directory);
            AskedToEnter.Add(path);
            if (shouldEnterDirectory(path))
            {
                foreach (var entry in Walk(path, shouldEnterDirectory))
                {
                    yield return entry;
                }
            }
        }
    }
}
