using System.Collections.Concurrent;
using CodeDoc.Core;
using CodeDoc.FakeServers.Ai;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;

namespace CodeDoc.Ai.SemanticKernel.Tests;

public sealed class CodeDocKernelFilterTests : IAsyncLifetime
{
    // An AWS access key id the redactor recognizes; built at run time so the source holds no key-shaped literal.
    private static readonly string AccessKeyId = "AKIA" + "QX7ZK3LM2NB4VC5T";

    private readonly RecordingAuditSink _audit = new();
    private FakeAiServer _server = null!;
    private ServiceProvider _services = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _server = await FakeAiServer.StartAsync();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddCodeDoc();
        _services = services.BuildServiceProvider();
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task PromptRender_SecretInAnArgument_RedactedBeforeItLeaves()
    {
        var kernel = Kernel().AddCodeDocFilters(_services.GetRequiredService<ISecretRedactor>(), _audit);

        var result = await kernel.InvokePromptAsync(
            "Describe this configuration file:\n{{$file}}",
            new KernelArguments { ["file"] = $"region = eu-west-1\naws_access_key_id = {AccessKeyId}\n" },
            cancellationToken: Token);

        var sent = Assert.Single(_server.Requests).BodyText;
        Assert.DoesNotContain(AccessKeyId, sent, StringComparison.Ordinal);
        Assert.Contains("[REDACTED:", sent, StringComparison.Ordinal);
        Assert.Contains("region = eu-west-1", sent, StringComparison.Ordinal);
        Assert.Equal(new FakeReply().Text, result.ToString());
    }

    [Fact]
    public async Task FunctionInvocation_Succeeded_AuditedWithoutArgumentValues()
    {
        var kernel = Kernel().AddCodeDocFilters(_services.GetRequiredService<ISecretRedactor>(), _audit, actor: "docs-bot");
        kernel.Plugins.AddFromFunctions("repo", [KernelFunctionFactory.CreateFromMethod((string path) => $"contents of {path}", "read_file")]);

        await kernel.InvokeAsync("repo", "read_file", new KernelArguments { ["path"] = "src/secret-plan.md" }, Token);

        var audited = Assert.Single(_audit.Events);
        Assert.Equal("kernel.function.invoked", audited.Action);
        Assert.Equal("docs-bot", audited.Actor);
        Assert.Equal("repo.read_file", audited.Target);
        Assert.Equal("succeeded", audited.Details["outcome"]);
        Assert.Equal("path", audited.Details["arguments"]);
        Assert.DoesNotContain(audited.Details.Values, v => v.Contains("secret-plan", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FunctionInvocation_ModelRejectsTheCall_AuditedAsFailedAndRethrown()
    {
        var kernel = Kernel(key: "codedoc-rejected-key").AddCodeDocFilters(_services.GetRequiredService<ISecretRedactor>(), _audit);

        await Assert.ThrowsAsync<HttpOperationException>(() => kernel.InvokePromptAsync("Hello", cancellationToken: Token));

        var audited = Assert.Single(_audit.Events);
        Assert.Equal("failed", audited.Details["outcome"]);
        Assert.Equal(nameof(HttpOperationException), audited.Details["error"]);
    }

    [Fact]
    public async Task KernelBuilder_FiltersResolvedFromTheKernelsServices()
    {
        var builder = Microsoft.SemanticKernel.Kernel.CreateBuilder().AddOpenAIChatCompletion("gpt-6.1-terra", new Uri(_server.BaseAddress, "v1/"), FakeAiServer.DefaultKey);
        builder.Services.AddSingleton(_services.GetRequiredService<ISecretRedactor>());
        builder.Services.AddSingleton<IAuditSink>(_audit);
        var kernel = builder.AddCodeDocFilters().Build();

        await kernel.InvokePromptAsync("Key: {{$key}}", new KernelArguments { ["key"] = AccessKeyId }, cancellationToken: Token);

        Assert.DoesNotContain(AccessKeyId, Assert.Single(_server.Requests).BodyText, StringComparison.Ordinal);
        Assert.Single(_audit.Events);
    }

    private Kernel Kernel(string key = FakeAiServer.DefaultKey) =>
        Microsoft.SemanticKernel.Kernel.CreateBuilder().AddOpenAIChatCompletion("gpt-6.1-terra", new Uri(_server.BaseAddress, "v1/"), key).Build();

    private sealed class RecordingAuditSink : IAuditSink
    {
        private readonly ConcurrentQueue<AuditEvent> _events = new();

        public IReadOnlyList<AuditEvent> Events => [.. _events];

        public ValueTask WriteAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default)
        {
            _events.Enqueue(auditEvent);
            return ValueTask.CompletedTask;
        }
    }
}
