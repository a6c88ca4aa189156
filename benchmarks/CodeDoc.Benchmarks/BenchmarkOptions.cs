namespace CodeDoc.Benchmarks;

internal sealed record BenchmarkOptions(string Path, int Runs, bool UseGit, bool Everything)
{
    public static BenchmarkOptions Parse(string[] args)
    {
        string? path = null;
        var runs = 3;
        var useGit = false;
        var everything = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--runs":
                    runs = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case "--git":
                    useGit = true;
                    break;
                case "--all":
                    everything = true;
                    break;
                default:
                    path = args[i];
                    break;
            }
        }

        return new BenchmarkOptions(System.IO.Path.GetFullPath(path ?? FindRepositoryRoot()), Math.Max(1, runs), useGit, everything);
    }

    // By default the benchmark reads this repository.
    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "CodeDoc.Libraries.sln")))
            {
                return directory.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
