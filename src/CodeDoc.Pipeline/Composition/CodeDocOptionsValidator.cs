using Microsoft.Extensions.Options;

namespace CodeDoc.Pipeline;

internal sealed class CodeDocOptionsValidator : IValidateOptions<CodeDocOptions>
{
    public ValidateOptionsResult Validate(string? name, CodeDocOptions options)
    {
        var failures = options.Snapshot.Validate($"{CodeDocOptions.SectionName}:Snapshot").ToList();
        failures.AddRange(options.Generation.Validate($"{CodeDocOptions.SectionName}:Generation"));
        if (options.PriceFile is { } file && !File.Exists(file))
        {
            failures.Add($"{CodeDocOptions.SectionName}:PriceFile names '{file}', which does not exist: give the path of a price file or remove the setting.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
