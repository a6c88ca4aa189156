using System.CommandLine;
using System.Net;
using CodeDoc.ConsoleHost.Hosting;
using CodeDoc.Core;
using CodeDoc.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Spectre.Console;

namespace CodeDoc.ConsoleHost.Commands;

/// <summary>
/// <c>codedoc serve</c>: the documentation host as a web application: webhook endpoints, the status and job API, the
/// background worker, schedules and the poll backstop, all on the embedded store, listening on loopback by default.
/// </summary>
internal static class ServeCommand
{
    public const string DefaultUrls = "http://127.0.0.1:5180";
    public const string DefaultApiKeyVariable = "CODEDOC_API_KEY";

    public static Command Create(CliEnvironment environment, Action<ICodeDocBuilder>? configure)
    {
        var urls = new Option<string?>("--urls") { Description = $"Where to listen, ';'-separated (default: {DefaultUrls}; port 0 picks a free port)." };
        var apiKeyEnv = new Option<string>("--api-key-env") { Description = "The environment variable holding the status API's key (at least 16 characters).", DefaultValueFactory = _ => DefaultApiKeyVariable };
        var allowRemote = new Option<bool>("--allow-remote") { Description = "Listen on addresses other machines can reach (put TLS in front: the API key and webhooks travel in the clear over http)." };
        var command = new Command("serve", "Run the documentation host: webhooks from Git hosts, the status and job API, scheduled and polled runs, on the embedded store.")
        {
            urls, apiKeyEnv, allowRemote,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var configuration = CliServices.BuildConfiguration(CodeDocCli.Settings(result));
            var listen = (result.GetValue(urls) ?? configuration["Urls"] ?? DefaultUrls).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            foreach (var url in listen)
            {
                if (!IsLoopback(url, out var host) && !result.GetValue(allowRemote))
                {
                    await environment.Error.WriteLineAsync(
                        $"error: refusing to listen on {url}: '{host}' is reachable from other machines, and the host serves its API and webhooks over plain http. "
                        + "Listen on 127.0.0.1 behind a TLS reverse proxy, or pass --allow-remote to listen there anyway.").ConfigureAwait(false);
                    return ExitCodes.InvalidInput;
                }
            }

            await HostingSession.PrepareAsync(configuration, environment).ConfigureAwait(false);
            var keyVariable = result.GetRequiredValue(apiKeyEnv);
            var apiKey = Environment.GetEnvironmentVariable(keyVariable);
            await using var app = Build(configuration, listen, string.IsNullOrEmpty(apiKey) ? null : apiKey, configure);
            await HostingSession.CheckStoreAsync(app.Services, configuration, cancellationToken).ConfigureAwait(false);
            await HostingSession.CheckSecretsAsync(app.Services, cancellationToken).ConfigureAwait(false);
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await ReportAsync(app, environment, keyVariable, apiKey is { Length: > 0 }, cancellationToken).ConfigureAwait(false);
                await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                // Ctrl+C cancels the token; the worker gets its grace period to finish or hand back runs under way.
                await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            }

            await environment.Error.WriteLineAsync("stopped.").ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    private static WebApplication Build(IConfiguration configuration, string[] listen, string? apiKey, Action<ICodeDocBuilder>? configure)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });

        // The verbs' configuration sources only: no appsettings.json or ASPNETCORE_ variables picked up from elsewhere.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddConfiguration(configuration);
        builder.WebHost.UseUrls(listen);
        var codeDoc = CliServices.Compose(builder.Services, builder.Configuration, hosting: true, configure);
        codeDoc.AddHostingEndpoints(o => o.ApiKey = apiKey);
        var app = builder.Build();
        app.MapCodeDocWebhooks("/codedoc/webhooks");
        app.MapCodeDocApi("/codedoc/api");
        return app;
    }

    private static async Task ReportAsync(WebApplication app, CliEnvironment environment, string keyVariable, bool hasApiKey, CancellationToken cancellationToken)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];
        var output = environment.Out;
        foreach (var address in addresses)
        {
            await output.WriteLineAsync($"Listening on {address}").ConfigureAwait(false);
        }

        var first = addresses.FirstOrDefault()?.TrimEnd('/') ?? DefaultUrls;
        await output.WriteLineAsync("Webhook URLs (push events; set the same secret as 'codedoc jobs add --webhook-secret-env'):").ConfigureAwait(false);
        foreach (var kind in WebhookHosts.Kinds)
        {
            await output.WriteLineAsync($"  {kind,-16} {first}/codedoc/webhooks/{kind}").ConfigureAwait(false);
        }

        await output.WriteLineAsync(hasApiKey
            ? $"Status API: {first}/codedoc/api (send the key from {keyVariable} in X-CodeDoc-Api-Key)."
            : $"Status API: {first}/codedoc/api refuses every request: no key in {keyVariable}. Set it to a random value of at least 16 characters (e.g. 'openssl rand -base64 32') and restart.").ConfigureAwait(false);

        var flows = await app.Services.GetRequiredService<IHostingDataFlowReport>().DescribeAsync(cancellationToken).ConfigureAwait(false);
        var table = new Table().Border(TableBorder.Rounded).Title("Where data goes").AddColumns("Destination", "Endpoint", "Data", "Leaves the machine");
        foreach (var flow in flows)
        {
            table.AddRow(Markup.Escape(flow.Destination), Markup.Escape(flow.Endpoint), Markup.Escape(flow.Data), flow.LeavesMachine ? "yes" : "no");
        }

        PlanCommand.ConsoleFor(output, interactive: false).Write(table);
        await output.WriteLineAsync("Press Ctrl+C to stop.").ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Whether a listen URL binds loopback only; <c>*</c>, <c>+</c>, <c>0.0.0.0</c>, host names and other addresses do not.</summary>
    internal static bool IsLoopback(string url, out string host)
    {
        host = url;
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        var rest = schemeEnd < 0 ? url : url[(schemeEnd + 3)..];
        var end = rest.StartsWith('[') ? rest.IndexOf(']', StringComparison.Ordinal) + 1 : rest.IndexOfAny([':', '/']);
        host = end <= 0 ? rest : rest[..end];
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address);
    }
}
