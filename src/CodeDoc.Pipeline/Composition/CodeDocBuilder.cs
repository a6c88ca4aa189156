using CodeDoc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace CodeDoc.Pipeline;

internal sealed class CodeDocBuilder(IServiceCollection services) : ICodeDocBuilder
{
    public IServiceCollection Services { get; } = services;
}
