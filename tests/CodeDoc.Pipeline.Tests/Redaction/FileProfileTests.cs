using CodeDoc.Pipeline.Redaction;

namespace CodeDoc.Pipeline.Tests.Redaction;

public sealed class FileProfileTests
{
    [Theory]
    [InlineData(null, "Text")]
    [InlineData("", "Text")]
    [InlineData("README.md", "Text")]
    [InlineData("docs/notes.txt", "Text")]
    [InlineData("src/App/Program.cs", "Code")]
    [InlineData("web/app.TS", "Code")]
    [InlineData("scripts/deploy.ps1", "Code")]
    [InlineData("appsettings.Development.json", "Markup")]
    [InlineData("Resources/Strings.resx", "Markup")]
    [InlineData("deploy/values.yaml", "Config")]
    [InlineData("build/run.sh", "Config")]
    [InlineData("Dockerfile", "Config")]
    [InlineData("Dockerfile.prod", "Config")]
    [InlineData(".env.example", "Config")]
    [InlineData("src\\App\\App.csproj", "Markup")]
    public void For_Path_Kind(string? path, string expected) => Assert.Equal(Enum.Parse<FileKind>(expected), FileProfile.For(path).Kind);

    [Theory]
    [InlineData(".env", true)]
    [InlineData("app/.env", true)]
    [InlineData(".env.local", true)]
    [InlineData(".env.production", true)]
    [InlineData("prod.env", true)]
    [InlineData(".env.example", false)]
    [InlineData(".env.sample", false)]
    [InlineData(".env.template", false)]
    [InlineData("environment.ts", false)]
    [InlineData(".envrc", false)]
    public void For_Path_IsEnvFile(string path, bool expected) => Assert.Equal(expected, FileProfile.For(path).IsEnvFile);

    [Theory]
    [InlineData("home/.ssh/id_rsa", true)]
    [InlineData("id_ed25519", true)]
    [InlineData("id_ed25519.pub", false)]
    [InlineData("certs/server.key", true)]
    [InlineData("keys/deploy.PPK", true)]
    [InlineData("certs/server.pem", false)]
    [InlineData("keyboard.cs", false)]
    public void For_Path_IsKeyFile(string path, bool expected) => Assert.Equal(expected, FileProfile.For(path).IsKeyFile);

    [Theory]
    [InlineData("package-lock.json", true)]
    [InlineData("web/yarn.lock", true)]
    [InlineData("Cargo.lock", true)]
    [InlineData("src/App/packages.lock.json", true)]
    [InlineData("go.sum", true)]
    [InlineData("package.json", false)]
    public void For_Path_IsLockFile(string path, bool expected) => Assert.Equal(expected, FileProfile.For(path).IsLockFile);

    [Theory]
    [InlineData("App.sln", true)]
    [InlineData("src/App/App.csproj", true)]
    [InlineData("Directory.Build.props", true)]
    [InlineData("appsettings.json", false)]
    public void For_Path_IsProjectFile(string path, bool expected) => Assert.Equal(expected, FileProfile.For(path).IsProjectFile);
}
