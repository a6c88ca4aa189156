using CodeDoc.Core;
using CodeDoc.Pipeline.Redaction;
using Microsoft.Extensions.DependencyInjection;

namespace CodeDoc.Pipeline.Tests.Redaction;

public sealed class SecretRedactionRegistrationTests
{
    [Fact]
    public void AddCodeDoc_RegistersSecretRedactorAsSingleton()
    {
        var services = new ServiceCollection();
        services.AddCodeDoc();
        using var provider = services.BuildServiceProvider();

        var redactor = provider.GetRequiredService<ISecretRedactor>();

        Assert.IsType<SecretRedactor>(redactor);
        Assert.Same(redactor, provider.GetRequiredService<ISecretRedactor>());
        Assert.Single(services, d => d.ServiceType == typeof(ISecretRedactor));
    }

    [Fact]
    public void AddCodeDoc_ApplicationRedactorRegisteredFirst_IsKept()
    {
        var services = new ServiceCollection();
        services.AddSingleton<ISecretRedactor>(NullSecretRedactor.Instance);
        services.AddCodeDoc();
        using var provider = services.BuildServiceProvider();

        Assert.Same(NullSecretRedactor.Instance, provider.GetRequiredService<ISecretRedactor>());
    }

    [Fact]
    public void AddSecretRedaction_CalledTwice_RegistersOnce()
    {
        var services = new ServiceCollection();

        services.AddSecretRedaction().AddSecretRedaction();

        Assert.Single(services, d => d.ServiceType == typeof(ISecretRedactor));
    }
}
