using System.Text;

namespace CodeDoc.IntegrationTests;

/// <summary>A damaged database file stops the host and every verb at start, with a message naming the file and no stack trace.</summary>
public sealed class CorruptDatabaseTests : IDisposable
{
    private readonly HostFolder _host = new();

    public void Dispose() => _host.Dispose();

    [Theory]
    [InlineData("serve", "--urls", "http://127.0.0.1:0")]
    [InlineData("jobs", "list")]
    [InlineData("history")]
    [InlineData("audit", "verify")]
    [InlineData("purge", "--yes")]
    public async Task Verb_DatabaseFileIsGarbage_ExitsNonZeroNamingTheFile(params string[] verb)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_host.Database)!);
        var garbage = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("not a database, not a header either. ", 400)));
        await File.WriteAllBytesAsync(_host.Database, garbage, TestContext.Current.CancellationToken);

        var result = await _host.RunAsync(verb);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(_host.Database, result.Error, StringComparison.Ordinal);
        Assert.StartsWith("error: ", result.Error.Split('\n').First(l => l.Contains(_host.Database, StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.All, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception:", result.All, StringComparison.Ordinal);
        Assert.Equal(garbage, await File.ReadAllBytesAsync(_host.Database, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Verb_DatabaseTruncatedAfterUse_ExitsNonZeroNamingTheFile()
    {
        await _host.RunOkAsync("jobs", "list");
        var bytes = await File.ReadAllBytesAsync(_host.Database, TestContext.Current.CancellationToken);
        Array.Clear(bytes, 16, Math.Min(bytes.Length - 16, 2048));
        await File.WriteAllBytesAsync(_host.Database, bytes, TestContext.Current.CancellationToken);

        var result = await _host.RunAsync("serve", "--urls", "http://127.0.0.1:0");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(_host.Database, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.All, StringComparison.Ordinal);
    }
}
