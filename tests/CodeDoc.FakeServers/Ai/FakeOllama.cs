using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CodeDoc.FakeServers.Ai;

/// <summary>Ollama's native API: <c>/api/chat</c> with NDJSON streaming, <c>/api/show</c>, <c>/api/version</c>.</summary>
public static class FakeOllama
{
    /// <summary>Gets the answer of a server whose request queue is full (<c>OLLAMA_MAX_QUEUE</c>).</summary>
    public static string Busy => Error("server busy, please try again.  maximum pending requests exceeded");

    /// <summary>Gets a refusal of a prompt longer than the context, with the numbers as Ollama's runner logs them.</summary>
    public static string ContextTooLong => Error("the input length exceeds the context length (prompt=40000 limit=32768)");

    /// <summary>Renders Ollama's error body.</summary>
    /// <param name="message">The message.</param>
    /// <returns>The body.</returns>
    public static string Error(string message) => new JsonObject { ["error"] = message }.ToJsonString();

    internal static void Map(WebApplication app, FakeAiServer fake)
    {
        app.MapPost("/api/chat", context => ChatAsync(context, fake));
        app.MapPost("/api/show", context => ShowAsync(context, fake));
        app.MapGet("/api/version", () => Results.Json(new { version = "0.13.0" }));
    }

    private static async Task<bool> RejectAsync(HttpContext context, FakeAiServer fake, string model)
    {
        if (!fake.KeyAccepted(FakeAiServer.BearerToken(context)))
        {
            await FakeAiServer.WriteJsonAsync(context, 401, new JsonObject { ["error"] = "unauthorized" }).ConfigureAwait(false);
            return true;
        }

        if (!fake.Models.Contains(model))
        {
            await FakeAiServer.WriteJsonAsync(context, 404, new JsonObject { ["error"] = $"model \"{model}\" not found, try pulling it first" }).ConfigureAwait(false);
            return true;
        }

        return false;
    }

    private static async Task ShowAsync(HttpContext context, FakeAiServer fake)
    {
        var request = await FakeAiServer.ReadJsonAsync(context).ConfigureAwait(false);
        var model = (request["model"] ?? request["name"])?.GetValue<string>() ?? string.Empty;
        if (await RejectAsync(context, fake, model).ConfigureAwait(false))
        {
            return;
        }

        await FakeAiServer.WriteJsonAsync(context, 200, new JsonObject
        {
            ["modelfile"] = $"FROM {model}",
            ["parameters"] = "stop \"<|im_end|>\"",
            ["template"] = "{{ .Prompt }}",
            ["details"] = new JsonObject { ["format"] = "gguf", ["family"] = "qwen3", ["parameter_size"] = "30B", ["quantization_level"] = "Q4_K_M" },
            ["model_info"] = new JsonObject { ["general.architecture"] = "qwen3", ["qwen3.context_length"] = fake.OllamaContextLength },
        }).ConfigureAwait(false);
    }

    private static JsonObject Line(string model, string content, bool done, FakeReply reply) =>
        done
            ? new JsonObject
            {
                ["model"] = model,
                ["created_at"] = "2026-11-23T12:00:00Z",
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = content },
                ["done"] = true,
                ["done_reason"] = reply.Finish == FakeFinish.Length ? "length" : "stop",
                ["total_duration"] = 1_000_000,
                ["load_duration"] = 1000,
                ["prompt_eval_count"] = reply.InputTokens,
                ["prompt_eval_duration"] = 1000,
                ["eval_count"] = reply.OutputTokens,
                ["eval_duration"] = 1000,
            }
            : new JsonObject
            {
                ["model"] = model,
                ["created_at"] = "2026-11-23T12:00:00Z",
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = content },
                ["done"] = false,
            };

    private static async Task ChatAsync(HttpContext context, FakeAiServer fake)
    {
        var request = await FakeAiServer.ReadJsonAsync(context).ConfigureAwait(false);
        var model = request["model"]?.GetValue<string>() ?? string.Empty;
        if (await RejectAsync(context, fake, model).ConfigureAwait(false))
        {
            return;
        }

        var reply = fake.NextReply(request);
        var stream = request["stream"]?.GetValue<bool>() != false;
        if (!stream)
        {
            if (reply.Malformed)
            {
                await FakeAiServer.WriteMalformedAsync(context).ConfigureAwait(false);
                return;
            }

            await FakeAiServer.WriteJsonAsync(context, 200, Line(model, reply.Text, done: true, reply)).ConfigureAwait(false);
            return;
        }

        FakeAiServer.StartEventStream(context, "application/x-ndjson");
        var pieces = reply.Pieces();
        for (var i = 0; i < pieces.Count; i++)
        {
            if (i > 0 && reply.ChunkDelay > TimeSpan.Zero)
            {
                await Task.Delay(reply.ChunkDelay, context.RequestAborted).ConfigureAwait(false);
            }

            await FakeAiServer.WriteLineAsync(context, Line(model, pieces[i], done: false, reply)).ConfigureAwait(false);
            if (i == 0 && reply.StopEarly)
            {
                return;
            }

            if (i == 0 && reply.MidStreamError)
            {
                await FakeAiServer.WriteLineAsync(context, new JsonObject { ["error"] = "an error was encountered while running the model: unexpected EOF" }).ConfigureAwait(false);
                return;
            }

            if (i == 0 && reply.Malformed)
            {
                await context.Response.WriteAsync("{\"model\": \"broken\", \"message\": \n", context.RequestAborted).ConfigureAwait(false);
                return;
            }
        }

        await FakeAiServer.WriteLineAsync(context, Line(model, string.Empty, done: true, reply)).ConfigureAwait(false);
    }
}
