using System.Text.Json;
using CodeDoc.Core;
using Polly.Timeout;
using Refit;

namespace CodeDoc.Git.GitHub;

/// <summary>Sends API calls and turns every failure into the Core exception family.</summary>
internal static class GitHubCalls
{
    /// <summary>Gets the exception for a failed (or unreadable) JSON answer.</summary>
    /// <typeparam name="T">The expected content.</typeparam>
    /// <param name="response">The answer.</param>
    /// <param name="failures">The translator.</param>
    /// <param name="operation">The operation.</param>
    /// <param name="subject">What was asked for.</param>
    /// <returns>The exception to throw.</returns>
    public static GitProviderException Failure<T>(IApiResponse<T> response, GitHubFailures failures, string operation, string subject)
    {
        var requestUri = response.RequestMessage?.RequestUri;
        if (response.HasRequestError(out var requestError))
        {
            return failures.Unreachable(operation, requestError.InnerException ?? requestError);
        }

        if (response.IsSuccessStatusCode)
        {
            var problem = response.Error?.InnerException is JsonException json
                ? $"the JSON for {subject} is malformed or cut short ({json.Message})."
                : $"the answer for {subject} has no usable JSON body.";
            return failures.Unexpected(operation, problem, requestUri, response.Error);
        }

        var failure = new FailedResponse(response.StatusCode ?? 0, response.Headers, Truncate((response.Error as ApiException)?.Content), requestUri);
        return failures.Translate(failure, operation, subject);
    }

    /// <summary>Gets the exception for a failed raw answer.</summary>
    /// <param name="response">The answer; not disposed.</param>
    /// <param name="failures">The translator.</param>
    /// <param name="operation">The operation.</param>
    /// <param name="subject">What was asked for.</param>
    /// <param name="cancellationToken">Cancels reading the body.</param>
    /// <returns>The exception to throw.</returns>
    public static async Task<GitProviderException> FailureAsync(HttpResponseMessage response, GitHubFailures failures, string operation, string subject, CancellationToken cancellationToken) =>
        failures.Translate(await GitHubFailures.ReadAsync(response, cancellationToken).ConfigureAwait(false), operation, subject);

    /// <summary>Sends a call, translating transport failures; the caller's cancellation passes through.</summary>
    /// <typeparam name="T">The answer type.</typeparam>
    /// <param name="send">Sends the call.</param>
    /// <param name="failures">The translator.</param>
    /// <param name="operation">The operation.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <returns>The answer.</returns>
    public static async Task<T> SendAsync<T>(Func<Task<T>> send, GitHubFailures failures, string operation, CancellationToken cancellationToken)
    {
        try
        {
            return await send().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or TimeoutRejectedException or OperationCanceledException)
        {
            throw failures.Unreachable(operation, ex);
        }
        catch (ApiRequestException ex)
        {
            throw failures.Unreachable(operation, ex.InnerException ?? ex);
        }
        catch (ApiException ex)
        {
            throw failures.Unexpected(operation, $"the answer could not be read ({ex.Message}).", ex.Uri, ex);
        }
    }

    private static string Truncate(string? body) =>
        body is null ? string.Empty : body.Length > GitHubFailures.MaxErrorBodyChars ? body[..GitHubFailures.MaxErrorBodyChars] : body;
}
