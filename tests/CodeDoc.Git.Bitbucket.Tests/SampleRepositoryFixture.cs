using CodeDoc.FakeServers.Git;

[assembly: AssemblyFixture(typeof(CodeDoc.Git.Bitbucket.Tests.SampleRepositoryFixture))]

namespace CodeDoc.Git.Bitbucket.Tests;

/// <summary>The real git repository every fake in this assembly serves, made once.</summary>
public sealed class SampleRepositoryFixture : IDisposable
{
    /// <summary>Gets the repository.</summary>
    public HostedSampleRepository Sample { get; } = HostedSampleRepository.Create();

    /// <inheritdoc />
    public void Dispose() => Sample.Dispose();
}
