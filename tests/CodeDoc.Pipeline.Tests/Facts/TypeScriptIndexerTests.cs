namespace CodeDoc.Pipeline.Tests.Facts;

public sealed class TypeScriptIndexerTests
{
    private const string Source = """
        import { a, b } from "./x";
        import * as path from 'path';

        /** Runs jobs. */
        export class Runner<T = unknown> extends Base<T> implements Disposable {
          private readonly queue: T[] = [];
          #secret = 1;
          static instances = 0
          name?: string;

          constructor(private readonly limit: number) {
            super();
          }

          /** Starts it. */
          async start(options: { retries: number }): Promise<void> {
            const inner = () => { class Fake {} };
          }

          get size(): number { return this.queue.length; }

          protected stop() {}

          handler = (e: Event) => {
            console.log(`value ${e.type}`);
          }
        }

        export interface Options extends BaseOptions {
          retries?: number;
          onDone(result: string): void
          readonly label: string
        }

        export type Mode = "a" | "b";
        type Internal = { x: number };

        export enum Color { Red = "r", Green }

        export function run<T>(job: T): Promise<T> {
          return Promise.resolve(job);
        }

        export const DEFAULT_LIMIT = 4, create = (n: number): Runner => new Runner(n);
        let counter = 0;
        const re = /[}{]/g;

        export namespace Util.Text {
          export function pad(s: string) { return s; }
        }

        function helper() {}

        export { helper };
        export default Runner;
        """;

    [Fact]
    public void Index_Definitions_AreFoundWithContainers()
    {
        var sink = FactsTesting.Index(new TypeScriptIndexer("typescript"), "src/runner.ts", Source);

        Assert.Equal(
            ["Runner", "Runner.queue", "Runner.secret", "Runner.instances", "Runner.name", "Runner.constructor", "Runner.start", "Runner.size", "Runner.stop", "Runner.handler",
             "Options", "Options.retries", "Options.onDone", "Options.label", "Mode", "Internal", "Color", "Color.Red", "Color.Green", "run", "DEFAULT_LIMIT", "create", "counter", "re",
             "Util", "Util.Text", "Util.Text.pad", "helper"],
            sink.Names());
    }

    [Fact]
    public void Index_ExportsKindsSignaturesAndSummaries()
    {
        var indexer = new TypeScriptIndexer("typescript");
        var sink = new SymbolSink("src/runner.ts", "typescript");
        indexer.Index("src/runner.ts", Source, sink);

        Assert.True(sink.Single("Runner").IsPublic);
        Assert.True(sink.Single("Runner.start").IsPublic);
        Assert.False(sink.Single("Runner.queue").IsPublic);
        Assert.False(sink.Single("Runner.secret").IsPublic);
        Assert.False(sink.Single("Runner.stop").IsPublic);
        Assert.False(sink.Single("Internal").IsPublic);
        Assert.False(sink.Single("counter").IsPublic);
        Assert.True(sink.Single("helper").IsPublic);
        Assert.Equal(CodeSymbolKind.Function, sink.Single("create").Kind);
        Assert.Equal(CodeSymbolKind.Constant, sink.Single("DEFAULT_LIMIT").Kind);
        Assert.Equal(CodeSymbolKind.Property, sink.Single("Runner.size").Kind);
        Assert.Equal("Runs jobs.", sink.Single("Runner").Summary);
        Assert.Equal("Starts it.", sink.Single("Runner.start").Summary);
        Assert.Equal("async start(options: { retries: number }): Promise<void>", sink.Single("Runner.start").Signature);
        Assert.Equal("export function run<T>(job: T): Promise<T>", sink.Single("run").Signature);
        Assert.Contains(("Runner", "Base"), sink.BaseTypes);
        Assert.Contains(("Options", "BaseOptions"), sink.BaseTypes);
    }

    [Fact]
    public void Index_CommonJs_ExportsAreFound()
    {
        const string source = """
            function parse(text) { return text.split('/'); }
            const VERSION = '1';
            exports.format = function (x) { return x; };
            module.exports = { parse, VERSION };
            """;

        var sink = FactsTesting.Index(new TypeScriptIndexer("javascript"), "lib/index.js", source);

        Assert.True(sink.Single("parse").IsPublic);
        Assert.True(sink.Single("VERSION").IsPublic);
        Assert.Equal(CodeSymbolKind.Function, sink.Single("format").Kind);
    }

    [Fact]
    public void Index_Jsx_DoesNotDerailTheFollowingDefinitions()
    {
        const string source = """
            export function App() {
              return <div className="a">Don't / stop {value}</div>;
            }
            export const Footer = () => <footer>it's {year} </footer>;
            export function After() {}
            """;

        var sink = FactsTesting.Index(new TypeScriptIndexer("typescript"), "src/App.tsx", source);

        Assert.Equal(["App", "Footer", "After"], sink.Names());
    }
}
