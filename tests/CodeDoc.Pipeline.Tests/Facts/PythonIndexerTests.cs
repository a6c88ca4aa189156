namespace CodeDoc.Pipeline.Tests.Facts;

public sealed class PythonIndexerTests
{
    private const string Source = """"
        """Module docs."""
        import os

        MAX_RETRIES = 3
        _cache: dict = {}

        class Client(BaseClient, metaclass=Meta):
            """Talks to the server.

            More details.
            """

            timeout = 30

            def __init__(self, url: str) -> None:
                self.url = url
                self._session = None
                def helper():
                    pass

            @property
            def ready(self):
                return True

            async def fetch(self, path,
                            retries=MAX_RETRIES):
                text = """
            def not_a_function():
                """
                return text

            class Inner:
                pass

        def _private():
            pass

        if __name__ == "__main__":
            def script_only():
                pass
        else:
            pass
        """";

    [Fact]
    public void Index_Definitions_FollowIndentationAndSkipLocals()
    {
        var sink = FactsTesting.Index(new PythonIndexer(), "src/pkg/client.py", Source);

        Assert.Equal(
            ["pkg.client", "pkg.client.MAX_RETRIES", "pkg.client._cache", "pkg.client.Client", "pkg.client.Client.timeout", "pkg.client.Client.__init__", "pkg.client.Client.url", "pkg.client.Client._session", "pkg.client.Client.ready", "pkg.client.Client.fetch", "pkg.client.Client.Inner", "pkg.client._private", "pkg.client.script_only"],
            sink.Names());
    }

    [Fact]
    public void Index_KindsVisibilityDocstringsAndBases()
    {
        var sink = FactsTesting.Index(new PythonIndexer(), "src/pkg/client.py", Source);

        Assert.Equal(CodeSymbolKind.Property, sink.Single("pkg.client.Client.ready").Kind);
        Assert.Equal(CodeSymbolKind.Method, sink.Single("pkg.client.Client.fetch").Kind);
        Assert.False(sink.Single("pkg.client._private").IsPublic);
        Assert.True(sink.Single("pkg.client.Client.__init__").IsPublic);
        Assert.Equal("Talks to the server.", sink.Single("pkg.client.Client").Summary);
        Assert.Equal("async def fetch(self, path, retries=MAX_RETRIES)", sink.Single("pkg.client.Client.fetch").Signature);
        Assert.Equal([("pkg.client.Client", "BaseClient")], sink.BaseTypes);
    }

    [Theory]
    [InlineData("src/pkg/sub/mod.py", "pkg.sub.mod")]
    [InlineData("pkg/__init__.py", "pkg")]
    [InlineData("setup.py", "setup")]
    [InlineData("src/main.py", "src.main")]
    public void ModuleName_Path_IsTheImportName(string path, string expected) => Assert.Equal(expected, PythonIndexer.ModuleName(path));
}
