using CodeDoc.Core;
using CodeDoc.FakeServers;
using CodeDoc.FakeServers.GitLab;
using CodeDoc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CodeDoc.Git.GitLab.Tests;

/// <summary>The IGitProvider contract, against a fake self-managed GitLab serving the sample repository.</summary>
public sealed class GitLabConformanceTests(SampleRepository sample) : GitProviderConformanceTests, IAsyncLifetime
{
    private FakeGitLab _fake = null!;

    protected override string ProviderKind => "gitlab";

    protected override string RepositoryLocation => _fake.ProjectUrl;

    protected override string UnservedLocation => "https://github.com/acme/widgets";

    protected override string KnownRef => "main";

    protected override string KnownCommitSha => sample.Head;

    protected override string KnownFilePath => "src/app.cs";

    protected override string BaseCommitSha => sample.First;

    protected override string ChangedPathSinceBase => "src/app.cs";

    protected override string DefaultBranch => "main";

    protected override string InvalidOptionsField => "CodeDoc:Git:conformance-a:BaseAddress";

    public async ValueTask InitializeAsync()
    {
        var options = new FakeGitLabOptions { ProjectPath = SampleRepository.ProjectPath };
        options.Tokens[GitLabTestHost.Token] = ["read_api"];
        _fake = await FakeGitLab.StartAsync(sample.Repository, options);
    }

    // GitLab anchors a range as #L10-20, not #L10-L20.
    protected override string ExpectedLineAnchor(LineRange lines) => lines.Start == lines.End ? $"#L{lines.Start}" : $"#L{lines.Start}-{lines.End}";

    protected override ICodeDocBuilder CreateBuilder(IServiceCollection services) => services.AddCodeDoc();

    protected override void AddProvider(ICodeDocBuilder builder, string name) =>
        builder.AddGitLab(name, o =>
        {
            o.BaseAddress = _fake.WebBaseAddress;
            o.Token = GitLabTestHost.Token;
        });

    protected override void AddProviderWithInvalidOptions(ICodeDocBuilder builder, string name) =>
        builder.AddGitLab(name, o => o.BaseAddress = new Uri("http://gitlab.remote.example/"));

    protected override async Task<IReadOnlyCollection<string>> ListFilesAsync(RepositoryTree tree, CancellationToken cancellationToken) =>
        await TreeListing.ListFilesAsync(tree, cancellationToken);

    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore();
        await _fake.DisposeAsync();
    }
}
