using CodeDoc.Core;
using CodeDoc.Hosting;
using CodeDoc.Hosting.Configuration;
using CodeDoc.Hosting.Jobs;
using CodeDoc.Hosting.Triggers;
using CodeDoc.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CodeDoc;

/// <content>Jobs, the background worker, notifications and triggers.</content>
public static partial class CodeDocHostingBuilderExtensions
{
    static partial void AddWorker(IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CodeDocHostingOptions>, HostingWorkerOptionsValidator>());

        services.TryAddSingleton<RunDispatcher>();
        services.TryAddSingleton<RunMonitor>();
        services.TryAddSingleton<IRunMonitor>(sp => sp.GetRequiredService<RunMonitor>());
        services.TryAddSingleton<RunRecorder>();
        services.TryAddSingleton<RunQueue>();
        services.TryAddSingleton<RunProviderBuilder>();
        services.TryAddSingleton<RunExecutor>();
        services.TryAddSingleton<HostingNotifier>();
        services.TryAddSingleton<JobService>();
        services.TryAddSingleton<ICodeDocJobs>(sp => sp.GetRequiredService<JobService>());
        services.TryAddSingleton<IHostingConfiguration, HostingConfiguration>();

        // Active only when Notifications:WebhookUrl is set; its client's HTTP options are the named CodeDocHttpOptions of the same name.
        services.AddCodeDocHttpClient(
            WebhookNotificationSink.ClientName,
            sp => sp.GetRequiredService<IOptionsMonitor<CodeDocHttpOptions>>().Get(WebhookNotificationSink.ClientName),
            HttpRetryRules.Default);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostingNotificationSink, WebhookNotificationSink>());

        services.AddHostedService<RunWorker>();
        services.AddHostedService<ScheduleTrigger>();
        services.AddHostedService<PollTrigger>();
    }
}
