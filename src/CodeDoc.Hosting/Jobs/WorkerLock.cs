namespace CodeDoc.Hosting.Jobs;

/// <summary>
/// Keeps a second worker off a database another process (or host) is running jobs from: its start-up recovery would
/// take the other worker's runs under way for crashed ones. The lock is a file the operating system releases when the
/// holder dies, so a crash never leaves it stuck.
/// </summary>
internal static class WorkerLock
{
    /// <summary>Takes the worker lock of a database.</summary>
    /// <param name="databasePath">The database file.</param>
    /// <returns>The held lock; dispose it to release.</returns>
    /// <exception cref="HostingStoreException">Another worker holds it.</exception>
    public static FileStream Acquire(string databasePath)
    {
        var database = Path.GetFullPath(databasePath);
        Directory.CreateDirectory(Path.GetDirectoryName(database)!);
        try
        {
            return new FileStream(database + ".worker-lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1, FileOptions.None);
        }
        catch (IOException e)
        {
            throw new HostingStoreException(
                $"Another CodeDoc worker (a running 'codedoc serve' or another host) is running jobs from the database '{database}'. " +
                "Only one worker may: queue runs through that host (its API: POST /codedoc/api/jobs/{id}/runs), or stop it first.",
                e);
        }
    }
}
