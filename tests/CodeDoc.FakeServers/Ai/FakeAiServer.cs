using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CodeDoc.FakeServers.Ai;

/// <summary>
/// A fake of every model vendor CodeDoc supports, on one Kestrel server: OpenAI Responses and Chat Completions (also
/// under Azure's <c>/openai/v1</c>), Anthropic Messages, Gemini <c>generateContent</c>/<c>streamGenerateContent</c>
/// and Ollama's native API, each with SSE or NDJSON streaming, scripted replies (<see cref="Enqueue"/>), model and
/// key checks with each vendor's error bodies, and the fault injection of <see cref="FakeHttpServer.Faults"/>.
/// </summary>
public sealed class FakeAiServer : IAsyncDisposable
{
    /// <summary>The key the fake accepts unless <see cref="ValidKey"/> is changed.</summary>
    public const string DefaultKey = "fake-valid-key-0123456789";

    private readonly ConcurrentQueue<FakeReply> _replies = new();

    private FakeAiServer()
    {
    }

    /// <summary>Gets the underlying server (requests, faults, address).</summary>
    public FakeHttpServer Http { get; private set; } = null!;

    /// <summary>Gets the base address, ending with '/'.</summary>
    public Uri BaseAddress => Http.BaseAddress;

    /// <summary>Gets the scripted faults.</summary>
    public FaultPlan Faults => Http.Faults;

    /// <summary>Gets the requests received so far.</summary>
    public IReadOnlyList<RecordedRequest> Requests => Http.Requests;

    /// <summary>Gets or sets the key the fake accepts; <see langword="null"/> accepts any request (a local server without auth).</summary>
    public string? ValidKey { get; set; } = DefaultKey;

    /// <summary>Gets the models the fake serves; others are answered with the vendor's not-found error.</summary>
    public ISet<string> Models { get; } = new HashSet<string>(StringComparer.Ordinal) { "gpt-6.1-terra", "claude-sonnet-5-5", "gemini-3.8-flash", "qwen3-coder" };

    /// <summary>Gets or sets the context length Ollama's <c>/api/show</c> reports.</summary>
    public int OllamaContextLength { get; set; } = 131072;

    /// <summary>Gets the model-call requests (chat, responses, messages, generateContent, api/chat), parsed.</summary>
    public IReadOnlyList<JsonNode> ModelCalls => [.. Requests.Where(IsModelCall).Select(r => JsonNode.Parse(r.Body)!)];

    /// <summary>Starts the fake.</summary>
    /// <param name="options">Server options (HTTPS).</param>
    /// <returns>The started fake.</returns>
    public static async Task<FakeAiServer> StartAsync(FakeServerOptions? options = null)
    {
        var fake = new FakeAiServer();
        fake.Http = await FakeHttpServer.StartAsync(fake.Map, options).ConfigureAwait(false);
        return fake;
    }

    /// <summary>Scripts the next answers; when none is queued the fake answers with a default <see cref="FakeReply"/>.</summary>
    /// <param name="replies">The replies, in order.</param>
    /// <returns>This fake.</returns>
    public FakeAiServer Enqueue(params FakeReply[] replies)
    {
        ArgumentNullException.ThrowIfNull(replies);
        foreach (var reply in replies)
        {
            _replies.Enqueue(reply);
        }

        return this;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Http.DisposeAsync();

    /// <summary>
    /// Gets or sets how the fake answers a request when no scripted reply is queued: it receives the request body and
    /// returns the reply, or <see langword="null"/> for the default one. Lets a caller answer by what a request asks.
    /// </summary>
    public Func<JsonNode, FakeReply?>? Responder { get; set; }

    internal FakeReply NextReply(JsonNode request) =>
        _replies.TryDequeue(out var reply) ? reply : Responder?.Invoke(request) ?? new FakeReply();

    internal static bool IsModelCall(RecordedRequest request) =>
        request.Method == "POST" &&
        (request.Path.EndsWith("/responses", StringComparison.Ordinal) || request.Path.EndsWith("/chat/completions", StringComparison.Ordinal) ||
         request.Path.EndsWith("/v1/messages", StringComparison.Ordinal) || request.Path.Contains(":generateContent", StringComparison.Ordinal) ||
         request.Path.Contains(":streamGenerateContent", StringComparison.Ordinal) || request.Path == "/api/chat");

    internal static async Task<JsonNode> ReadJsonAsync(HttpContext context)
    {
        context.Request.Body.Position = 0;
        return await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false) ?? new JsonObject();
    }

    internal static async Task WriteJsonAsync(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted).ConfigureAwait(false);
    }

    internal static async Task WriteMalformedAsync(HttpContext context)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync("{\"id\": \"broken\", \"output\": [ {\"type\": ", context.RequestAborted).ConfigureAwait(false);
    }

    internal static void StartEventStream(HttpContext context, string contentType = "text/event-stream")
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = contentType;
        context.Response.Headers.CacheControl = "no-cache";
    }

    internal static async Task WriteEventAsync(HttpContext context, string? eventName, string data)
    {
        var text = new StringBuilder();
        if (eventName is not null)
        {
            text.Append("event: ").Append(eventName).Append('\n');
        }

        text.Append("data: ").Append(data).Append("\n\n");
        await context.Response.WriteAsync(text.ToString(), context.RequestAborted).ConfigureAwait(false);
        await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    internal static async Task WriteLineAsync(HttpContext context, JsonNode line)
    {
        await context.Response.WriteAsync(line.ToJsonString() + "\n", context.RequestAborted).ConfigureAwait(false);
        await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    internal static string? BearerToken(HttpContext context)
    {
        var value = context.Request.Headers.Authorization.ToString();
        return value.StartsWith("Bearer ", StringComparison.Ordinal) ? value["Bearer ".Length..] : null;
    }

    internal bool KeyAccepted(string? presented) => ValidKey is null || string.Equals(presented, ValidKey, StringComparison.Ordinal);

    internal static string Mask(string? key) => key is { Length: > 8 } ? $"{key[..3]}***{key[^2..]}" : "***";

    internal static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);

    private void Map(WebApplication app)
    {
        FakeOpenAI.Map(app, this);
        FakeAnthropic.Map(app, this);
        FakeGemini.Map(app, this);
        FakeOllama.Map(app, this);
    }
}
