using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CodeDoc.FakeServers.Ai;

/// <summary>Anthropic's Messages wire format: <c>input_tokens</c> excludes cache reads and writes, SSE with typed events.</summary>
public static class FakeAnthropic
{
    /// <summary>An Anthropic error body.</summary>
    /// <param name="type">The error type.</param>
    /// <param name="message">The message.</param>
    /// <returns>The JSON.</returns>
    public static string Error(string type, string message) =>
        new JsonObject { ["type"] = "error", ["error"] = new JsonObject { ["type"] = type, ["message"] = message }, ["request_id"] = "req_fake" }.ToJsonString();

    /// <summary>Gets the body of a 529.</summary>
    public static string Overloaded => Error("overloaded_error", "Overloaded");

    /// <summary>Gets the body of a 429 rate limit.</summary>
    public static string RateLimited => Error("rate_limit_error", "This request would exceed your organization's rate limit of 50 requests per minute.");

    /// <summary>Gets the body of a 400 for a prompt over the context window.</summary>
    public static string ContextTooLong => Error("invalid_request_error", "prompt is too long: 208310 tokens > 200000 maximum");

    /// <summary>Gets the body of a 402 for an exhausted credit balance.</summary>
    public static string Billing => Error("billing_error", "Your credit balance is too low to access the Anthropic API.");

    internal static void Map(WebApplication app, FakeAiServer fake)
    {
        app.MapPost("/v1/messages", context => RespondAsync(context, fake));
    }

    private static async Task<bool> RejectAsync(HttpContext context, FakeAiServer fake, string? model)
    {
        var key = context.Request.Headers.TryGetValue("x-api-key", out var header) ? header.ToString() : FakeAiServer.BearerToken(context);
        if (!fake.KeyAccepted(key))
        {
            await WriteAsync(context, 401, Error("authentication_error", "invalid x-api-key")).ConfigureAwait(false);
            return true;
        }

        if (!context.Request.Headers.ContainsKey("anthropic-version"))
        {
            await WriteAsync(context, 400, Error("invalid_request_error", "anthropic-version: header is required")).ConfigureAwait(false);
            return true;
        }

        if (model is not null && !fake.Models.Contains(model))
        {
            await WriteAsync(context, 404, Error("not_found_error", $"model: {model}")).ConfigureAwait(false);
            return true;
        }

        return false;
    }

    private static async Task WriteAsync(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    internal static async Task ModelAsync(HttpContext context, FakeAiServer fake, string id)
    {
        if (await RejectAsync(context, fake, id).ConfigureAwait(false))
        {
            return;
        }

        await FakeAiServer.WriteJsonAsync(context, 200, new JsonObject { ["type"] = "model", ["id"] = id, ["display_name"] = id, ["created_at"] = "2026-10-07T00:00:00Z" }).ConfigureAwait(false);
    }

    private static JsonObject Usage(FakeReply reply, bool withOutput) => new()
    {
        ["input_tokens"] = reply.InputTokens - reply.CachedTokens - reply.CacheWriteTokens,
        ["cache_creation_input_tokens"] = reply.CacheWriteTokens,
        ["cache_read_input_tokens"] = reply.CachedTokens,
        ["output_tokens"] = withOutput ? reply.OutputTokens : 1,
    };

    private static string StopReason(FakeReply reply) => reply.Finish == FakeFinish.Length ? "max_tokens" : "end_turn";

    private static JsonObject Message(string model, FakeReply reply, bool final) => new()
    {
        ["id"] = "msg_fake",
        ["type"] = "message",
        ["role"] = "assistant",
        ["model"] = model,
        ["content"] = final ? new JsonArray(new JsonObject { ["type"] = "text", ["text"] = reply.Text }) : new JsonArray(),
        ["stop_reason"] = final ? StopReason(reply) : null,
        ["stop_sequence"] = null,
        ["usage"] = Usage(reply, final),
    };

    private static async Task RespondAsync(HttpContext context, FakeAiServer fake)
    {
        var request = await FakeAiServer.ReadJsonAsync(context).ConfigureAwait(false);
        var model = request["model"]?.GetValue<string>() ?? string.Empty;
        if (await RejectAsync(context, fake, model).ConfigureAwait(false))
        {
            return;
        }

        if (request["max_tokens"] is null)
        {
            await WriteAsync(context, 400, Error("invalid_request_error", "max_tokens: Field required")).ConfigureAwait(false);
            return;
        }

        var reply = fake.NextReply(request);
        var stream = request["stream"]?.GetValue<bool>() == true;
        if (reply.Malformed && !stream)
        {
            await FakeAiServer.WriteMalformedAsync(context).ConfigureAwait(false);
            return;
        }

        if (!stream)
        {
            await FakeAiServer.WriteJsonAsync(context, 200, Message(model, reply, final: true)).ConfigureAwait(false);
            return;
        }

        FakeAiServer.StartEventStream(context);
        async Task SendAsync(string type, JsonObject data)
        {
            data["type"] = type;
            await FakeAiServer.WriteEventAsync(context, type, data.ToJsonString()).ConfigureAwait(false);
        }

        await SendAsync("message_start", new JsonObject { ["message"] = Message(model, reply, final: false) }).ConfigureAwait(false);
        await SendAsync("content_block_start", new JsonObject { ["index"] = 0, ["content_block"] = new JsonObject { ["type"] = "text", ["text"] = string.Empty } }).ConfigureAwait(false);
        await SendAsync("ping", new JsonObject()).ConfigureAwait(false);
        var pieces = reply.Pieces();
        for (var i = 0; i < pieces.Count; i++)
        {
            if (i > 0 && reply.ChunkDelay > TimeSpan.Zero)
            {
                await Task.Delay(reply.ChunkDelay, context.RequestAborted).ConfigureAwait(false);
            }

            await SendAsync("content_block_delta", new JsonObject { ["index"] = 0, ["delta"] = new JsonObject { ["type"] = "text_delta", ["text"] = pieces[i] } }).ConfigureAwait(false);
            if (i == 0 && reply.StopEarly)
            {
                return;
            }

            if (i == 0 && reply.MidStreamError)
            {
                await FakeAiServer.WriteEventAsync(context, "error", Error("overloaded_error", "Overloaded")).ConfigureAwait(false);
                return;
            }

            if (i == 0 && reply.Malformed)
            {
                await FakeAiServer.WriteEventAsync(context, "content_block_delta", "{\"type\": \"content_block_delta\", \"delta\": ").ConfigureAwait(false);
                return;
            }
        }

        await SendAsync("content_block_stop", new JsonObject { ["index"] = 0 }).ConfigureAwait(false);
        await SendAsync("message_delta", new JsonObject
        {
            ["delta"] = new JsonObject { ["stop_reason"] = StopReason(reply), ["stop_sequence"] = null },
            ["usage"] = new JsonObject { ["output_tokens"] = reply.OutputTokens },
        }).ConfigureAwait(false);
        await SendAsync("message_stop", new JsonObject()).ConfigureAwait(false);
    }
}
