using Microsoft.Extensions.DependencyInjection;

namespace CodeDoc.Core;

/// <summary>
/// The builder returned by <c>AddCodeDoc()</c>. Provider packages extend it with their <c>Add...</c> methods and
/// return it, so a whole configuration reads as one chain.
/// </summary>
public interface ICodeDocBuilder
{
    /// <summary>Gets the service collection the engine and its providers are registered in.</summary>
    IServiceCollection Services { get; }
}
