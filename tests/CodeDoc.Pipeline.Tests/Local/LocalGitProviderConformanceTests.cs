using CodeDoc.Core;
using CodeDoc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CodeDoc.Pipeline.Tests.Local;

/// <summary>One repository shared by the conformance tests: two commits on main, a tag on the second.</summary>
public sealed class ConformanceRepositoryFixture : IDisposable
{
    public ConformanceRepositoryFixture()
    {
        Repository = TemporaryGitRepository.Init();
        BaseSha = Repository.Write("README.md", "# Sample\n").Write("src/app.cs", "class App { }\n").Commit("first");
        HeadSha = Repository.Write("src/app.cs", "class App { static void Main() { } }\n").Commit("second");
        Repository.Git("tag", "v1.0");
    }

    public TemporaryGitRepository Repository { get; }

    public string BaseSha { get; }

    public string HeadSha { get; }

    public void Dispose() => Repository.Dispose();
}

public sealed class LocalGitProviderConformanceTests(ConformanceRepositoryFixture fixture)
    : GitProviderConformanceTests, IClassFixture<ConformanceRepositoryFixture>
{
    protected override string ProviderKind => "local";

    protected override string RepositoryLocation => fixture.Repository.Path;

    protected override string UnservedLocation => "https://github.com/octocat/Hello-World";

    protected override string KnownRef => "v1.0";

    protected override string KnownCommitSha => fixture.HeadSha;

    protected override string KnownFilePath => "src/app.cs";

    protected override string BaseCommitSha => fixture.BaseSha;

    protected override string ChangedPathSinceBase => "src/app.cs";

    protected override string DefaultBranch => "main";

    protected override string InvalidOptionsField => "AllowedRoots";

    protected override ICodeDocBuilder CreateBuilder(IServiceCollection services) => services.AddCodeDoc();

    protected override void AddProvider(ICodeDocBuilder builder, string name) => builder.AddLocalRepositories(name);

    protected override void AddProviderWithInvalidOptions(ICodeDocBuilder builder, string name) =>
        builder.AddLocalRepositories(name, o => o.AllowedRoots.Add("relative/root"));
}
