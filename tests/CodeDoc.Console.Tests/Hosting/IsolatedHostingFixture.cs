[assembly: AssemblyFixture(typeof(CodeDoc.Console.Tests.Hosting.IsolatedHostingFixture))]

namespace CodeDoc.Console.Tests.Hosting;

/// <summary>
/// Points every command of this test assembly that gives no --database or --key-file (generate records its runs) at
/// a temporary store, so no test reads or writes the user's own codedoc data.
/// </summary>
public sealed class IsolatedHostingFixture : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("codedoc-cli-store-").FullName;

    public IsolatedHostingFixture()
    {
        Environment.SetEnvironmentVariable("CodeDoc__Hosting__DatabasePath", Path.Combine(_folder, "data", "codedoc.db"));
        Environment.SetEnvironmentVariable("CodeDoc__Hosting__Encryption__KeyFile", Path.Combine(_folder, "keys", "keys.json"));
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("CodeDoc__Hosting__DatabasePath", null);
        Environment.SetEnvironmentVariable("CodeDoc__Hosting__Encryption__KeyFile", null);
        Directory.Delete(_folder, recursive: true);
    }
}
