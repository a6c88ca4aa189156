using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CodeDoc.FakeServers.Ai;

/// <summary>OpenAI's Responses and Chat Completions wire format (also served under Azure's <c>/openai/v1</c> prefix).</summary>
public static class FakeOpenAI
{
    /// <summary>An OpenAI error body.</summary>
    /// <param name="message">The message.</param>
    /// <param name="type">The type.</param>
    /// <param name="code">The code.</param>
    /// <returns>The JSON.</returns>
    public static string Error(string message, string type, string? code) =>
        new JsonObject { ["error"] = new JsonObject { ["message"] = message, ["type"] = type, ["param"] = null, ["code"] = code } }.ToJsonString();

    /// <summary>Gets the body of a 429 for an exhausted billing quota.</summary>
    public static string QuotaExceeded => Error("You exceeded your current quota, please check your plan and billing details.", "insufficient_quota", "insufficient_quota");

    /// <summary>Gets the body of a 429 rate limit.</summary>
    public static string RateLimited => Error("Rate limit reached for requests. Please try again in 20s.", "requests", "rate_limit_exceeded");

    /// <summary>Gets the body of a 400 for a prompt over the context window.</summary>
    public static string ContextTooLong => Error(
        "This model's maximum context length is 128000 tokens. However, your messages resulted in 130500 tokens. Please reduce the length of the messages.",
        "invalid_request_error",
        "context_length_exceeded");

    /// <summary>Gets the body of a 500.</summary>
    public static string ServerError => Error("The server had an error while processing your request. Sorry about that!", "server_error", null);

    internal static void Map(WebApplication app, FakeAiServer fake)
    {
        foreach (var prefix in (string[])["/v1", "/openai/v1"])
        {
            app.MapPost($"{prefix}/responses", context => RespondAsync(context, fake, responses: true));
            app.MapPost($"{prefix}/chat/completions", context => RespondAsync(context, fake, responses: false));
            // Anthropic's model lookup shares the path; its version header tells the two apart.
            app.MapGet($"{prefix}/models/{{id}}", (HttpContext context, string id) =>
                context.Request.Headers.ContainsKey("anthropic-version") ? FakeAnthropic.ModelAsync(context, fake, id) : ModelAsync(context, fake, id));
        }
    }

    private static string? Key(HttpContext context) =>
        FakeAiServer.BearerToken(context) ?? (context.Request.Headers.TryGetValue("api-key", out var key) ? key.ToString() : null);

    private static async Task<bool> RejectAsync(HttpContext context, FakeAiServer fake, string? model)
    {
        var key = Key(context);
        if (!fake.KeyAccepted(key))
        {
            var message = $"Incorrect API key provided: {FakeAiServer.Mask(key)}. You can find your API key at https://platform.openai.com/account/api-keys.";
            await WriteAsync(context, 401, Error(message, "invalid_request_error", "invalid_api_key")).ConfigureAwait(false);
            return true;
        }

        if (model is not null && !fake.Models.Contains(model))
        {
            await WriteAsync(context, 404, Error($"The model `{model}` does not exist or you do not have access to it.", "invalid_request_error", "model_not_found")).ConfigureAwait(false);
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

    private static async Task ModelAsync(HttpContext context, FakeAiServer fake, string id)
    {
        if (await RejectAsync(context, fake, id).ConfigureAwait(false))
        {
            return;
        }

        await FakeAiServer.WriteJsonAsync(context, 200, new JsonObject { ["id"] = id, ["object"] = "model", ["created"] = 1_763_800_000, ["owned_by"] = "openai" }).ConfigureAwait(false);
    }

    private static async Task RespondAsync(HttpContext context, FakeAiServer fake, bool responses)
    {
        var request = await FakeAiServer.ReadJsonAsync(context).ConfigureAwait(false);
        var model = request["model"]?.GetValue<string>() ?? string.Empty;
        if (await RejectAsync(context, fake, model).ConfigureAwait(false))
        {
            return;
        }

        var reply = fake.NextReply(request);
        var stream = request["stream"]?.GetValue<bool>() == true;
        if (reply.Malformed && !stream)
        {
            await FakeAiServer.WriteMalformedAsync(context).ConfigureAwait(false);
            return;
        }

        if (responses)
        {
            await (stream ? StreamResponseAsync(context, model, reply) : FakeAiServer.WriteJsonAsync(context, 200, Response(model, reply, reply.Text, final: true))).ConfigureAwait(false);
        }
        else
        {
            await (stream ? StreamChatAsync(context, model, reply, request) : FakeAiServer.WriteJsonAsync(context, 200, Completion(model, reply))).ConfigureAwait(false);
        }
    }

    private static JsonObject ResponseUsage(FakeReply reply) => new()
    {
        ["input_tokens"] = reply.InputTokens,
        ["input_tokens_details"] = new JsonObject { ["cached_tokens"] = reply.CachedTokens, ["cache_write_tokens"] = reply.CacheWriteTokens },
        ["output_tokens"] = reply.OutputTokens,
        ["output_tokens_details"] = new JsonObject { ["reasoning_tokens"] = reply.ReasoningTokens },
        ["total_tokens"] = reply.InputTokens + reply.OutputTokens,
    };

    private static JsonObject Response(string model, FakeReply reply, string text, bool final)
    {
        var incomplete = reply.Finish == FakeFinish.Length;
        var output = new JsonArray();
        if (final)
        {
            output.Add(new JsonObject
            {
                ["type"] = "message",
                ["id"] = "msg_1",
                ["role"] = "assistant",
                ["status"] = incomplete ? "incomplete" : "completed",
                ["content"] = new JsonArray(new JsonObject { ["type"] = "output_text", ["text"] = text, ["annotations"] = new JsonArray() }),
            });
        }

        return new JsonObject
        {
            ["id"] = "resp_1",
            ["object"] = "response",
            ["created_at"] = 1_763_800_000,
            ["status"] = !final ? "in_progress" : incomplete ? "incomplete" : "completed",
            ["error"] = null,
            ["incomplete_details"] = final && incomplete ? new JsonObject { ["reason"] = "max_output_tokens" } : null,
            ["instructions"] = null,
            ["model"] = model,
            ["output"] = output,
            ["parallel_tool_calls"] = true,
            ["store"] = false,
            ["temperature"] = 1.0,
            ["top_p"] = 1.0,
            ["tool_choice"] = "auto",
            ["tools"] = new JsonArray(),
            ["text"] = new JsonObject { ["format"] = new JsonObject { ["type"] = "text" } },
            ["truncation"] = "disabled",
            ["metadata"] = new JsonObject(),
            ["usage"] = final ? ResponseUsage(reply) : null,
        };
    }

    private static async Task StreamResponseAsync(HttpContext context, string model, FakeReply reply)
    {
        FakeAiServer.StartEventStream(context);
        var sequence = 0;
        async Task SendAsync(string type, JsonObject data)
        {
            data["type"] = type;
            data["sequence_number"] = sequence++;
            await FakeAiServer.WriteEventAsync(context, type, data.ToJsonString()).ConfigureAwait(false);
        }

        await SendAsync("response.created", new JsonObject { ["response"] = Response(model, reply, string.Empty, final: false) }).ConfigureAwait(false);
        await SendAsync("response.output_item.added", new JsonObject
        {
            ["output_index"] = 0,
            ["item"] = new JsonObject { ["type"] = "message", ["id"] = "msg_1", ["role"] = "assistant", ["status"] = "in_progress", ["content"] = new JsonArray() },
        }).ConfigureAwait(false);
        var pieces = reply.Pieces();
        for (var i = 0; i < pieces.Count; i++)
        {
            if (i > 0 && reply.ChunkDelay > TimeSpan.Zero)
            {
                await Task.Delay(reply.ChunkDelay, context.RequestAborted).ConfigureAwait(false);
            }

            await SendAsync("response.output_text.delta", new JsonObject
            {
                ["item_id"] = "msg_1",
                ["output_index"] = 0,
                ["content_index"] = 0,
                ["delta"] = pieces[i],
                ["logprobs"] = new JsonArray(),
            }).ConfigureAwait(false);
            if (i == 0 && reply.StopEarly)
            {
                return;
            }

            if (i == 0 && reply.MidStreamError)
            {
                await SendAsync("error", new JsonObject { ["code"] = "server_error", ["message"] = "The server had an error while processing your request.", ["param"] = null }).ConfigureAwait(false);
                return;
            }

            if (i == 0 && reply.Malformed)
            {
                await FakeAiServer.WriteEventAsync(context, "response.output_text.delta", "{\"type\": \"response.output_text.delta\", \"delta\": ").ConfigureAwait(false);
                return;
            }
        }

        await SendAsync("response.output_text.done", new JsonObject { ["item_id"] = "msg_1", ["output_index"] = 0, ["content_index"] = 0, ["text"] = reply.Text, ["logprobs"] = new JsonArray() }).ConfigureAwait(false);
        var full = Response(model, reply, reply.Text, final: true);
        await SendAsync("response.output_item.done", new JsonObject { ["output_index"] = 0, ["item"] = full["output"]![0]!.DeepClone() }).ConfigureAwait(false);
        await SendAsync(reply.Finish == FakeFinish.Length ? "response.incomplete" : "response.completed", new JsonObject { ["response"] = full }).ConfigureAwait(false);
    }

    private static JsonObject ChatUsage(FakeReply reply) => new()
    {
        ["prompt_tokens"] = reply.InputTokens,
        ["completion_tokens"] = reply.OutputTokens,
        ["total_tokens"] = reply.InputTokens + reply.OutputTokens,
        ["prompt_tokens_details"] = new JsonObject { ["cached_tokens"] = reply.CachedTokens, ["cache_write_tokens"] = reply.CacheWriteTokens },
        ["completion_tokens_details"] = new JsonObject { ["reasoning_tokens"] = reply.ReasoningTokens },
    };

    private static string FinishReason(FakeReply reply) => reply.Finish == FakeFinish.Length ? "length" : "stop";

    private static JsonObject Completion(string model, FakeReply reply) => new()
    {
        ["id"] = "chatcmpl-1",
        ["object"] = "chat.completion",
        ["created"] = 1_763_800_000,
        ["model"] = model,
        ["choices"] = new JsonArray(new JsonObject
        {
            ["index"] = 0,
            ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = reply.Text, ["refusal"] = null },
            ["finish_reason"] = FinishReason(reply),
            ["logprobs"] = null,
        }),
        ["usage"] = ChatUsage(reply),
    };

    private static JsonObject Chunk(string model, JsonObject? delta, string? finishReason, JsonObject? usage) => new()
    {
        ["id"] = "chatcmpl-1",
        ["object"] = "chat.completion.chunk",
        ["created"] = 1_763_800_000,
        ["model"] = model,
        ["choices"] = delta is null ? new JsonArray() : new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = finishReason, ["logprobs"] = null }),
        ["usage"] = usage,
    };

    private static async Task StreamChatAsync(HttpContext context, string model, FakeReply reply, JsonNode request)
    {
        FakeAiServer.StartEventStream(context);
        var includeUsage = request["stream_options"]?["include_usage"]?.GetValue<bool>() == true;
        var pieces = reply.Pieces();
        for (var i = 0; i < pieces.Count; i++)
        {
            if (i > 0 && reply.ChunkDelay > TimeSpan.Zero)
            {
                await Task.Delay(reply.ChunkDelay, context.RequestAborted).ConfigureAwait(false);
            }

            var delta = i == 0 ? new JsonObject { ["role"] = "assistant", ["content"] = pieces[i] } : new JsonObject { ["content"] = pieces[i] };
            var usage = reply.RepeatUsage ? ChatUsage(reply) : null;
            await FakeAiServer.WriteEventAsync(context, null, Chunk(model, delta, null, usage).ToJsonString()).ConfigureAwait(false);
            if (i == 0 && reply.StopEarly)
            {
                return;
            }

            if (i == 0 && reply.MidStreamError)
            {
                await FakeAiServer.WriteEventAsync(context, null, Error("The server had an error while processing your request.", "server_error", null)).ConfigureAwait(false);
                return;
            }

            if (i == 0 && reply.Malformed)
            {
                await FakeAiServer.WriteEventAsync(context, null, "{\"id\": \"chatcmpl-1\", \"choices\": [").ConfigureAwait(false);
                return;
            }
        }

        await FakeAiServer.WriteEventAsync(context, null, Chunk(model, new JsonObject(), FinishReason(reply), reply.RepeatUsage ? ChatUsage(reply) : null).ToJsonString()).ConfigureAwait(false);
        if (includeUsage || reply.RepeatUsage)
        {
            await FakeAiServer.WriteEventAsync(context, null, Chunk(model, null, null, ChatUsage(reply)).ToJsonString()).ConfigureAwait(false);
        }

        await FakeAiServer.WriteEventAsync(context, null, "[DONE]").ConfigureAwait(false);
    }
}
