using CodeDoc.FakeServers.Git;

[assembly: AssemblyFixture(typeof(CodeDoc.Git.GitLab.Tests.SampleRepository))]

namespace CodeDoc.Git.GitLab.Tests;

/// <summary>The repository most tests read, served by the fake GitLab as <c>acme/platform/widgets</c>.</summary>
public sealed class SampleRepository : BranchySampleRepository
{
    public const string ProjectPath = "acme/platform/widgets";
}
