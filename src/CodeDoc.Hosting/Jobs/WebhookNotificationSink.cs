using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace CodeDoc.Hosting.Jobs;

/// <summary>
/// POSTs notifications as JSON to <see cref="HostingNotificationOptions.WebhookUrl"/> (when set), signed with
/// HMAC-SHA256 of the body in <c>X-CodeDoc-Signature-256: sha256=&lt;hex&gt;</c> when a secret is set.
/// </summary>
internal sealed class WebhookNotificationSink(IHttpClientFactory clients, IOptions<CodeDocHostingOptions> options) : IHostingNotificationSink
{
    /// <summary>The name of the HTTP client (and of its <see cref="CodeDoc.Core.CodeDocHttpOptions"/>).</summary>
    public const string ClientName = "codedoc-notifications";

    /// <summary>The signature header.</summary>
    public const string SignatureHeader = "X-CodeDoc-Signature-256";

    /// <inheritdoc />
    public async Task NotifyAsync(HostingNotification notification, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var settings = options.Value.Notifications;
        if (settings.WebhookUrl is not { } url)
        {
            return;
        }

        var body = Serialize(notification);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        if (!string.IsNullOrEmpty(settings.WebhookSecret))
        {
            request.Headers.TryAddWithoutValidation(SignatureHeader, Sign(body, settings.WebhookSecret));
        }

        using var response = await clients.CreateClient(ClientName).SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"The notification webhook answered {(int)response.StatusCode} {response.ReasonPhrase}.", null, response.StatusCode);
        }
    }

    /// <summary>Signs a body: <c>sha256=</c> and the lowercase hex HMAC-SHA256 of the body with the secret.</summary>
    public static string Sign(ReadOnlySpan<byte> body, string secret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    private static byte[] Serialize(HostingNotification notification)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("kind", notification.Kind.ToString());
            writer.WriteString("jobId", notification.JobId);
            if (notification.RunId is null)
            {
                writer.WriteNull("runId");
            }
            else
            {
                writer.WriteString("runId", notification.RunId);
            }

            writer.WriteString("message", notification.Message);
            writer.WriteString("timestamp", notification.Timestamp);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
