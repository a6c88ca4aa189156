using System.Runtime.CompilerServices;
using System.Text;
using CodeDoc.Core;
using LibGit2Sharp;

namespace CodeDoc.Pipeline;

/// <summary>
/// The entries of one folder at one commit, read from the object database (never the working tree). Owns the
/// repository handle it was given and releases it when the tree is disposed.
/// </summary>
/// <remarks>
/// A LibGit2Sharp repository is not thread-safe, and a reader may open one entry while the walk goes on, so every
/// call into it holds <see cref="_gate"/>. Opened content is copied out under the gate: libgit2 inflates a whole
/// blob in memory anyway, and the copy outlives the handle, whatever order the caller disposes things in.
/// </remarks>
internal sealed class GitTreeSession : IAsyncDisposable
{
    private const string GitIgnore = ".gitignore";

    private readonly Lock _gate = new();
    private readonly Repository _repository;
    private readonly ObjectId _rootTreeId;
    private bool _disposed;

    /// <summary>Initializes a new instance of the <see cref="GitTreeSession"/> class.</summary>
    /// <param name="repository">The repository; owned from now on.</param>
    /// <param name="rootTreeId">The tree of the documented folder.</param>
    public GitTreeSession(Repository repository, ObjectId rootTreeId)
    {
        _repository = repository;
        _rootTreeId = rootTreeId;
    }

    /// <summary>Walks the tree depth first, each directory's <c>.gitignore</c> first, pruning where asked.</summary>
    /// <param name="shouldEnterDirectory">Asked before descending into a directory.</param>
    /// <param name="cancellationToken">Cancels the walk.</param>
    /// <returns>The entries.</returns>
    public async IAsyncEnumerable<RepositoryEntry> EnumerateAsync(
        Func<string, bool> shouldEnterDirectory,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pending = new Stack<Queue<Child>>();
        pending.Push(ReadDirectory(_rootTreeId, prefix: string.Empty));
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!pending.Peek().TryDequeue(out var child))
            {
                pending.Pop();
                continue;
            }

            yield return child.Entry;
            if (child.TreeId is { } treeId && shouldEnterDirectory(child.Entry.Path))
            {
                pending.Push(ReadDirectory(treeId, child.Entry.Path + "/"));
            }
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                _disposed = true;
                _repository.Dispose();
            }
        }

        return ValueTask.CompletedTask;
    }

    private Queue<Child> ReadDirectory(ObjectId treeId, string prefix)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var tree = _repository.Lookup<Tree>(treeId);
            var children = new Queue<Child>();
            foreach (var item in tree.Where(static e => e.Name == GitIgnore).Concat(tree.Where(static e => e.Name != GitIgnore)))
            {
                var path = prefix + item.Name;
                var id = item.Target.Id;
                children.Enqueue(item.Mode switch
                {
                    Mode.Directory => new Child(new RepositoryEntry(path, RepositoryEntryKind.Directory), id),
                    Mode.GitLink => new Child(new RepositoryEntry(path, RepositoryEntryKind.Submodule), TreeId: null),
                    Mode.SymbolicLink => new Child(
                        new RepositoryEntry(path, RepositoryEntryKind.SymbolicLink, SizeOf(id)) { LinkTarget = ReadLinkTarget(id) },
                        TreeId: null),
                    _ => new Child(new RepositoryEntry(path, RepositoryEntryKind.File, SizeOf(id), ct => OpenBlob(path, id, ct)), TreeId: null),
                });
            }

            return children;
        }
    }

    // The object header carries the size, so listing never inflates a blob.
    private long SizeOf(ObjectId id) => _repository.ObjectDatabase.RetrieveObjectMetadata(id).Size;

    private string ReadLinkTarget(ObjectId id)
    {
        using var content = _repository.Lookup<Blob>(id).GetContentStream();
        using var reader = new StreamReader(content, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private ValueTask<Stream> OpenBlob(string path, ObjectId id, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var size = SizeOf(id);
            if (size > Array.MaxLength)
            {
                throw new GitProviderException($"'{path}' is {size} bytes, more than one file can hold in memory; exclude it from the snapshot.");
            }

            var buffer = new byte[size];
            using (var content = _repository.Lookup<Blob>(id).GetContentStream())
            {
                content.ReadExactly(buffer);
            }

            return ValueTask.FromResult<Stream>(new MemoryStream(buffer, writable: false));
        }
    }

    /// <summary>An entry, with the tree to descend into when it is a directory.</summary>
    private readonly record struct Child(RepositoryEntry Entry, ObjectId? TreeId);
}
