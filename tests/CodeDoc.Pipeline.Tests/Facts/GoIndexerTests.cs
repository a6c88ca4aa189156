namespace CodeDoc.Pipeline.Tests.Facts;

public sealed class GoIndexerTests
{
    private const string Source = """
        package server

        import (
        	"fmt"
        	"net/http"
        )

        // MaxConns is the default.
        const MaxConns = 10

        const (
        	modeA = iota
        	ModeB
        )

        var defaultServer, OtherServer = New(), New()

        type Server[T any] struct {
        	Addr string
        	handlers, routes map[string]http.Handler
        	http.Server
        	*Embedded
        }

        type (
        	Handler interface {
        		Serve(w http.ResponseWriter) error
        		fmt.Stringer
        	}
        	id int
        )

        func New() *Server[int] {
        	s := &Server[int]{}
        	func() { type local struct{} }()
        	return s
        }

        func (s *Server[T]) Start(addr string) (err error) {
        	return nil
        }

        func (Server[T]) stop() {}

        var text = `
        func Fake() {}
        `
        """;

    [Fact]
    public void Index_TopLevelDefinitions_AreFoundWithThePackageAsContainer()
    {
        var sink = FactsTesting.Index(new GoIndexer(), "server/server.go", Source);

        Assert.Equal(
            ["server", "server.MaxConns", "server.modeA", "server.ModeB", "server.defaultServer", "server.OtherServer", "server.Server", "server.Server.Addr", "server.Server.handlers", "server.Server.routes", "server.Handler", "server.Handler.Serve", "server.id", "server.New", "server.Server.Start", "server.Server.stop", "server.text"],
            sink.Names());
    }

    [Fact]
    public void Index_Exported_IsCapitalized()
    {
        var sink = FactsTesting.Index(new GoIndexer(), "server/server.go", Source);

        Assert.True(sink.Single("server.Server.Start").IsPublic);
        Assert.False(sink.Single("server.Server.stop").IsPublic);
        Assert.False(sink.Single("server.modeA").IsPublic);
        Assert.Equal(CodeSymbolKind.Method, sink.Single("server.Server.Start").Kind);
        Assert.Equal("func (s *Server[T]) Start(addr string) (err error)", sink.Single("server.Server.Start").Signature);
        Assert.Equal(39, sink.Single("server.Server.Start").Line);
    }
}
