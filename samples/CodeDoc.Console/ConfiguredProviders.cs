using CodeDoc.Core;
using Microsoft.Extensions.Configuration;

namespace CodeDoc.ConsoleHost;

/// <summary>
/// Registers the providers named in configuration, so a user adds a Git host, a model vendor or a publisher without
/// code: <c>CodeDoc:Git</c>, <c>CodeDoc:Ai</c> and <c>CodeDoc:Publishers</c> hold either one provider
/// (<c>CodeDoc:Ai:Kind=anthropic</c>, named after its kind) or named ones (<c>CodeDoc:Ai:docs:Kind=anthropic</c>).
/// Each provider is registered with its package's <c>Add...(name, section)</c>, so validation and behaviour are
/// the same as in code.
/// </summary>
internal static class ConfiguredProviders
{
    private static readonly Dictionary<string, Action<ICodeDocBuilder, string, IConfigurationSection>> ByKind = new(StringComparer.OrdinalIgnoreCase)
    {
        ["local"] = (builder, name, section) => builder.AddLocalRepositories(name, section),
        ["github"] = (builder, name, section) => builder.AddGitHub(name, section),
        ["gitlab"] = (builder, name, section) => builder.AddGitLab(name, section),
        ["bitbucket"] = (builder, name, section) => builder.AddBitbucket(name, section),
        ["azure-devops"] = (builder, name, section) => builder.AddAzureDevOps(name, section),
        ["markdown"] = (builder, name, section) => builder.AddMarkdownFolder(name, section),
        ["openai"] = (builder, name, section) => builder.AddOpenAI(name, section),
        ["azure-openai"] = (builder, name, section) => builder.AddAzureOpenAI(name, section),
        ["openai-compatible"] = (builder, name, section) => builder.AddOpenAICompatible(name, section),
        ["anthropic"] = (builder, name, section) => builder.AddAnthropic(name, section),
        ["gemini"] = (builder, name, section) => builder.AddGemini(name, section),
        ["ollama"] = (builder, name, section) => builder.AddOllama(name, section),
        ["confluence"] = (builder, name, section) => builder.AddConfluence(name, section),
    };

    public static void Register(ICodeDocBuilder builder, IConfiguration codeDoc)
    {
        foreach (var group in (string[])["Git", "Ai", "Publishers"])
        {
            var section = codeDoc.GetSection(group);
            if (section["Kind"] is not null)
            {
                Add(builder, section["Kind"]!, section);
                continue;
            }

            foreach (var child in section.GetChildren().Where(c => c["Kind"] is not null))
            {
                Add(builder, child.Key, child);
            }
        }
    }

    /// <summary>
    /// Registers every package's run-time factory and webhook handler, so the host builds providers from stored
    /// configurations of any kind and verifies webhooks of every supported Git host.
    /// </summary>
    public static void RegisterFactories(ICodeDocBuilder builder) => builder
        .AddGitHubFactory()
        .AddGitLabFactory()
        .AddBitbucketFactory()
        .AddAzureDevOpsFactory()
        .AddOpenAIFactories()
        .AddAnthropicFactory()
        .AddGeminiFactory()
        .AddOllamaFactory()
        .AddConfluenceFactory();

    private static void Add(ICodeDocBuilder builder, string name, IConfigurationSection section)
    {
        var kind = section["Kind"]!;
        if (!ByKind.TryGetValue(kind, out var add))
        {
            throw new CodeDocConfigurationException(
                $"{section.Path}:Kind is '{kind}', which this program does not know. Use one of: {string.Join(", ", ByKind.Keys.Order(StringComparer.Ordinal))}.");
        }

        add(builder, name, section);
    }
}
