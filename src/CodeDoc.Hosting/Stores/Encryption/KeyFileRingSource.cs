namespace CodeDoc.Hosting.Stores.Encryption;

/// <summary>
/// The key ring of a key file, read again when the file changes: <c>codedoc keys rotate</c> may add a key while the
/// host runs, and the host must then read secrets the rotation re-encrypted with it.
/// </summary>
internal sealed class KeyFileRingSource
{
    private readonly string _path;
    private readonly Lock _lock = new();
    private SecretKeyRing? _ring;
    private (DateTime WriteTime, long Length) _version;

    public KeyFileRingSource(string path)
    {
        _path = Path.GetFullPath(path);
    }

    /// <summary>Gets the ring as the file holds it now.</summary>
    /// <returns>The ring.</returns>
    /// <exception cref="SecretKeyException">The file is missing, unreadable or not protected.</exception>
    public SecretKeyRing Get()
    {
        var file = new FileInfo(_path);
        var version = file.Exists ? (file.LastWriteTimeUtc, file.Length) : default;
        lock (_lock)
        {
            if (_ring is null || version != _version)
            {
                _ring = HostingKeyFile.Load(_path);
                _version = version;
            }

            return _ring;
        }
    }
}
