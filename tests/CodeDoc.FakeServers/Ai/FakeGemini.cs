using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CodeDoc.FakeServers.Ai;

/// <summary>Gemini's native wire format: <c>generateContent</c>, <c>streamGenerateContent?alt=sse</c> (usage repeated in every chunk), <c>models/{m}</c>.</summary>
public static class FakeGemini
{
    /// <summary>A Google error body.</summary>
    /// <param name="code">The HTTP code.</param>
    /// <param name="status">The status, e.g. <c>RESOURCE_EXHAUSTED</c>.</param>
    /// <param name="message">The message.</param>
    /// <param name="details">The details.</param>
    /// <returns>The JSON.</returns>
    public static string Error(int code, string status, string message, params JsonObject[] details) =>
        new JsonObject
        {
            ["error"] = new JsonObject { ["code"] = code, ["message"] = message, ["status"] = status, ["details"] = new JsonArray([.. details]) },
        }.ToJsonString();

    /// <summary>Gets the body of a 429 per-minute rate limit with a retry delay.</summary>
    public static string RateLimited => Error(429, "RESOURCE_EXHAUSTED", "Resource has been exhausted (e.g. check quota).", new JsonObject
    {
        ["@type"] = "type.googleapis.com/google.rpc.QuotaFailure",
        ["violations"] = new JsonArray(new JsonObject { ["quotaMetric"] = "generativelanguage.googleapis.com/generate_content_free_tier_requests", ["quotaId"] = "GenerateRequestsPerMinutePerProjectPerModel-FreeTier" }),
    }, new JsonObject { ["@type"] = "type.googleapis.com/google.rpc.RetryInfo", ["retryDelay"] = "37s" });

    /// <summary>Gets the body of a 429 for an exhausted daily quota.</summary>
    public static string DailyQuota => Error(429, "RESOURCE_EXHAUSTED", "You exceeded your current quota, please check your plan and billing details.", new JsonObject
    {
        ["@type"] = "type.googleapis.com/google.rpc.QuotaFailure",
        ["violations"] = new JsonArray(new JsonObject { ["quotaMetric"] = "generativelanguage.googleapis.com/generate_content_free_tier_requests", ["quotaId"] = "GenerateRequestsPerDayPerProjectPerModel-FreeTier" }),
    });

    /// <summary>Gets the body of a 400 for a prompt over the context window.</summary>
    public static string ContextTooLong => Error(400, "INVALID_ARGUMENT", "The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).");

    /// <summary>Gets the body of a 503.</summary>
    public static string Overloaded => Error(503, "UNAVAILABLE", "The model is overloaded. Please try again later.");

    internal static void Map(WebApplication app, FakeAiServer fake)
    {
        app.MapPost("/v1beta/models/{modelAction}", (HttpContext context, string modelAction) => RespondAsync(context, fake, modelAction));
        app.MapGet("/v1beta/models/{model}", (HttpContext context, string model) => ModelAsync(context, fake, model));
    }

    private static async Task<bool> RejectAsync(HttpContext context, FakeAiServer fake, string model)
    {
        var key = context.Request.Headers.TryGetValue("x-goog-api-key", out var header) ? header.ToString() : context.Request.Query["key"].ToString();
        if (!fake.KeyAccepted(key))
        {
            await WriteAsync(context, 400, Error(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.", new JsonObject
            {
                ["@type"] = "type.googleapis.com/google.rpc.ErrorInfo",
                ["reason"] = "API_KEY_INVALID",
                ["domain"] = "googleapis.com",
                ["metadata"] = new JsonObject { ["service"] = "generativelanguage.googleapis.com" },
            })).ConfigureAwait(false);
            return true;
        }

        if (!fake.Models.Contains(model))
        {
            await WriteAsync(context, 404, Error(404, "NOT_FOUND", $"models/{model} is not found for API version v1beta, or is not supported for generateContent.")).ConfigureAwait(false);
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

    private static async Task ModelAsync(HttpContext context, FakeAiServer fake, string model)
    {
        if (await RejectAsync(context, fake, model).ConfigureAwait(false))
        {
            return;
        }

        await FakeAiServer.WriteJsonAsync(context, 200, new JsonObject
        {
            ["name"] = $"models/{model}",
            ["version"] = "001",
            ["displayName"] = model,
            ["inputTokenLimit"] = 1_048_576,
            ["outputTokenLimit"] = 65_536,
            ["supportedGenerationMethods"] = new JsonArray("generateContent", "countTokens"),
        }).ConfigureAwait(false);
    }

    private static JsonObject Usage(FakeReply reply, int outputSoFar) => new()
    {
        ["promptTokenCount"] = reply.InputTokens,
        ["cachedContentTokenCount"] = reply.CachedTokens,
        ["candidatesTokenCount"] = Math.Max(0, outputSoFar - reply.ReasoningTokens),
        ["thoughtsTokenCount"] = reply.ReasoningTokens,
        ["totalTokenCount"] = reply.InputTokens + outputSoFar,
    };

    private static JsonObject Chunk(string model, string text, string? finishReason, JsonObject usage)
    {
        var candidate = new JsonObject { ["content"] = new JsonObject { ["role"] = "model", ["parts"] = new JsonArray(new JsonObject { ["text"] = text }) }, ["index"] = 0 };
        if (finishReason is not null)
        {
            candidate["finishReason"] = finishReason;
        }

        return new JsonObject { ["candidates"] = new JsonArray(candidate), ["usageMetadata"] = usage, ["modelVersion"] = model, ["responseId"] = "resp-fake" };
    }

    private static async Task RespondAsync(HttpContext context, FakeAiServer fake, string modelAction)
    {
        var separator = modelAction.IndexOf(':', StringComparison.Ordinal);
        var model = separator < 0 ? modelAction : modelAction[..separator];
        var action = separator < 0 ? string.Empty : modelAction[(separator + 1)..];
        if (await RejectAsync(context, fake, model).ConfigureAwait(false))
        {
            return;
        }

        var reply = fake.NextReply(await FakeAiServer.ReadJsonAsync(context).ConfigureAwait(false));
        var finish = reply.Finish == FakeFinish.Length ? "MAX_TOKENS" : "STOP";
        if (action == "generateContent")
        {
            if (reply.Malformed)
            {
                await FakeAiServer.WriteMalformedAsync(context).ConfigureAwait(false);
                return;
            }

            await FakeAiServer.WriteJsonAsync(context, 200, Chunk(model, reply.Text, finish, Usage(reply, reply.OutputTokens))).ConfigureAwait(false);
            return;
        }

        FakeAiServer.StartEventStream(context);
        var pieces = reply.Pieces();
        for (var i = 0; i < pieces.Count; i++)
        {
            if (i > 0 && reply.ChunkDelay > TimeSpan.Zero)
            {
                await Task.Delay(reply.ChunkDelay, context.RequestAborted).ConfigureAwait(false);
            }

            var last = i == pieces.Count - 1;
            var outputSoFar = last ? reply.OutputTokens : Math.Min(reply.OutputTokens, reply.ReasoningTokens + i + 1);
            await FakeAiServer.WriteEventAsync(context, null, Chunk(model, pieces[i], last ? finish : null, Usage(reply, outputSoFar)).ToJsonString()).ConfigureAwait(false);
            if (i == 0 && reply.StopEarly && !last)
            {
                return;
            }

            if (i == 0 && reply.MidStreamError && !last)
            {
                await FakeAiServer.WriteEventAsync(context, null, Error(503, "UNAVAILABLE", "The model is overloaded. Please try again later.")).ConfigureAwait(false);
                return;
            }

            if (i == 0 && reply.Malformed && !last)
            {
                await FakeAiServer.WriteEventAsync(context, null, "{\"candidates\": [").ConfigureAwait(false);
                return;
            }
        }
    }
}
