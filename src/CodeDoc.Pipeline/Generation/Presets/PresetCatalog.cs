using System.Reflection;
using CodeDoc.Core;
using Microsoft.Extensions.Options;

namespace CodeDoc.Pipeline;

/// <summary>The documentation presets: the built-in ones (embedded JSON) and the ones in <see cref="GenerationOptions.PresetFiles"/>.</summary>
internal interface IPresetCatalog
{
    /// <summary>Gets every preset by name.</summary>
    IReadOnlyDictionary<string, DocumentationPreset> Presets { get; }

    /// <summary>Finds a preset.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The preset.</returns>
    /// <exception cref="CodeDocConfigurationException">No preset has that name; the message lists them.</exception>
    DocumentationPreset Get(string name);
}

/// <inheritdoc />
internal sealed class PresetCatalog : IPresetCatalog
{
    private const string ResourcePrefix = "CodeDoc.Pipeline.Generation.Presets.";

    private readonly Lazy<IReadOnlyDictionary<string, DocumentationPreset>> _presets;

    /// <summary>Initializes a new instance of the <see cref="PresetCatalog"/> class.</summary>
    /// <param name="options">The engine options (preset files).</param>
    public PresetCatalog(IOptions<CodeDocOptions> options)
    {
        var files = options.Value.Generation.PresetFiles.ToList();
        _presets = new Lazy<IReadOnlyDictionary<string, DocumentationPreset>>(() => Load(files));
    }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, DocumentationPreset> Presets => _presets.Value;

    /// <inheritdoc />
    public DocumentationPreset Get(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return Presets.TryGetValue(name, out var preset)
            ? preset
            : throw new CodeDocConfigurationException(
                $"There is no documentation preset '{name}'. Choose one of: {string.Join(", ", Presets.Keys.Order(StringComparer.Ordinal))}, or add your own with CodeDoc:Generation:PresetFiles.");
    }

    /// <summary>Parses and validates one preset file.</summary>
    /// <param name="text">The file's text.</param>
    /// <param name="source">The file's name for messages.</param>
    /// <returns>The preset.</returns>
    /// <exception cref="CodeDocConfigurationException">The file is not a valid preset; the message names the line and field.</exception>
    public static DocumentationPreset Parse(string text, string source)
    {
        var (preset, lines) = LocatedJson.Parse<DocumentationPreset>(text, source);
        var problems = preset.Validate().Select(p => LocatedJson.Describe(source, lines.LineOf(p.Field), p.Field, p.Problem)).ToList();
        return problems.Count == 0
            ? preset
            : throw new CodeDocConfigurationException(string.Join(Environment.NewLine, problems));
    }

    private static Dictionary<string, DocumentationPreset> Load(IReadOnlyList<string> files)
    {
        var presets = new Dictionary<string, DocumentationPreset>(StringComparer.Ordinal);
        var assembly = typeof(PresetCatalog).Assembly;
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var preset = Parse(ReadResource(assembly, resource), resource[ResourcePrefix.Length..]);
            presets[preset.Name] = preset;
        }

        foreach (var file in files)
        {
            string text;
            try
            {
                text = File.ReadAllText(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CodeDocConfigurationException($"The preset file '{file}' cannot be read: {e.Message}", e);
            }

            var preset = Parse(text, file);
            presets[preset.Name] = preset;
        }

        return presets;
    }

    private static string ReadResource(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
