using CodeDoc.FakeServers.Git;

[assembly: AssemblyFixture(typeof(CodeDoc.Git.GitHub.Tests.SampleRepository))]

namespace CodeDoc.Git.GitHub.Tests;

/// <summary>The repository most tests read, served by the fake GitHub as <c>acme/widgets</c>.</summary>
public sealed class SampleRepository : BranchySampleRepository
{
    public const string Owner = "acme";
    public const string Name = "widgets";
}
