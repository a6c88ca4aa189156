using CodeDoc.Core;
using CodeDoc.Hosting;
using CodeDoc.Hosting.Stores;
using CodeDoc.Hosting.Stores.Encryption;
using CodeDoc.Hosting.Stores.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CodeDoc;

/// <summary>The store area: the SQLite file, the secret protector and every store interface on one store.</summary>
public static partial class CodeDocHostingBuilderExtensions
{
    static partial void AddStores(IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IValidateOptions<CodeDocHostingOptions>, HostingStoreOptionsValidator>();
        services.AddSingleton<SqliteDatabase>();
        services.AddSingleton<ISecretProtector, ConfiguredSecretProtector>();
        services.AddSingleton<SqliteHostingStore>();
        services.AddSingleton<IProviderConfigurationStore>(sp => sp.GetRequiredService<SqliteHostingStore>());
        services.AddSingleton<IRepositoryStore>(sp => sp.GetRequiredService<SqliteHostingStore>());
        services.AddSingleton<IJobStore>(sp => sp.GetRequiredService<SqliteHostingStore>());
        services.AddSingleton<IRunHistoryStore>(sp => sp.GetRequiredService<SqliteHostingStore>());
        services.AddSingleton<IManifestCache>(sp => sp.GetRequiredService<SqliteHostingStore>());
        services.AddSingleton<IWebhookDeliveryStore>(sp => sp.GetRequiredService<SqliteHostingStore>());
        services.AddSingleton<ISettingsStore>(sp => sp.GetRequiredService<SqliteHostingStore>());
        services.AddSingleton<IAuditLog>(sp => sp.GetRequiredService<SqliteHostingStore>());
        services.AddSingleton<IHostingDataAdministration>(sp => sp.GetRequiredService<SqliteHostingStore>());
        services.AddSingleton<ISecretRotation>(sp => sp.GetRequiredService<SqliteHostingStore>());

        // The audit log replaces the NullAuditSink AddCodeDoc registers, whichever was called first.
        services.RemoveAll<IAuditSink>();
        services.AddSingleton<IAuditSink>(sp => sp.GetRequiredService<SqliteHostingStore>());

        // Registered before the worker, so the schema is current before anything reads it.
        services.AddHostedService<HostingStoreInitializer>();
    }
}
