using CodeDoc.FakeServers.Git;

[assembly: AssemblyFixture(typeof(CodeDoc.Console.Tests.GitHosts.HostedRepositoryFixture))]

namespace CodeDoc.Console.Tests.GitHosts;

/// <summary>The real git repository every Git host fake in this assembly serves, made once.</summary>
public sealed class HostedRepositoryFixture : IDisposable
{
    /// <summary>Gets the repository.</summary>
    public HostedSampleRepository Sample { get; } = HostedSampleRepository.Create();

    /// <inheritdoc />
    public void Dispose() => Sample.Dispose();
}
