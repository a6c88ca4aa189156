using System.Collections.Concurrent;
using CodeDoc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace CodeDoc.Hosting.Tests.Fakes;

/// <summary>Wraps the real documentation runner: records requests, can hold runs until released, and can change requests and reports.</summary>
public sealed class ScriptedRunner : IDisposable
{
    private readonly ConcurrentQueue<RunRequest> _requests = new();
    private readonly SemaphoreSlim _released = new(0);
    private int _entered;

    /// <summary>Gets or sets a value indicating whether runs wait for <see cref="Release"/> before they start.</summary>
    public bool Hold { get; set; }

    /// <summary>Gets or sets a change to each request before the real runner gets it.</summary>
    public Func<RunRequest, RunRequest> Request { get; set; } = r => r;

    /// <summary>Gets or sets a change to each report.</summary>
    public Func<RunReport, RunReport> Report { get; set; } = r => r;

    /// <summary>
    /// Gets or sets a cost range to show the confirmation callback (when the request has one) before the run spends:
    /// the preview is built from a dry run of the real runner; a declined confirmation returns a Declined report.
    /// </summary>
    public CostRange? ForecastCost { get; set; }

    public IReadOnlyList<RunRequest> Requests => [.. _requests];

    public int Entered => Volatile.Read(ref _entered);

    public void Release(int count = 1) => _released.Release(count);

    public void Dispose() => _released.Dispose();

    /// <summary>Replaces the registered runner with this wrapper around it.</summary>
    public void Register(IServiceCollection services)
    {
        var real = services.Last(d => d.ServiceType == typeof(IDocumentationRunner));
        services.Remove(real);
        services.AddSingleton<IDocumentationRunner>(sp => new Wrapper(this, real.ImplementationType is { } type
            ? (IDocumentationRunner)ActivatorUtilities.CreateInstance(sp, type)
            : real.ImplementationFactory is { } factory ? (IDocumentationRunner)factory(sp) : (IDocumentationRunner)real.ImplementationInstance!));
    }

    private sealed class Wrapper(ScriptedRunner owner, IDocumentationRunner inner) : IDocumentationRunner
    {
        public async Task<RunReport> RunAsync(RunRequest request, IProgress<RunProgress>? progress = null, CancellationToken cancellationToken = default)
        {
            owner._requests.Enqueue(request);
            Interlocked.Increment(ref owner._entered);
            if (owner.Hold)
            {
                await owner._released.WaitAsync(cancellationToken);
            }

            request = owner.Request(request);
            if (owner.ForecastCost is { } cost && request.Confirm is { } confirm)
            {
                var dry = await inner.RunAsync(request with { DryRun = true, Confirm = null }, null, cancellationToken);
                var forecast = dry.Forecast! with { Cost = cost };
                if (!await confirm(new RunPreview { Plan = dry.Plan, Forecast = forecast }, cancellationToken))
                {
                    return dry with { StopReason = RunStopReason.Declined, Forecast = forecast };
                }

                request = request with { Confirm = null };
            }

            return owner.Report(await inner.RunAsync(request, progress, cancellationToken));
        }
    }
}
