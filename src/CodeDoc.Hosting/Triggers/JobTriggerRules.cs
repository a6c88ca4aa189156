using System.Diagnostics.CodeAnalysis;
using Cronos;

namespace CodeDoc.Hosting.Triggers;

/// <summary>Checks a job's triggers: the cron schedule, its time zone and the poll interval.</summary>
internal static class JobTriggerRules
{
    /// <summary>Lists what is wrong with a job's triggers, each with how to fix it.</summary>
    /// <param name="job">The job.</param>
    /// <param name="minimumPollInterval">The shortest poll interval allowed.</param>
    /// <returns>The problems; empty when the triggers are valid.</returns>
    public static IReadOnlyList<string> Validate(JobDefinition job, TimeSpan minimumPollInterval)
    {
        ArgumentNullException.ThrowIfNull(job);
        var problems = new List<string>();
        if (job.Triggers.Schedule is not null && !TryReadSchedule(job.Triggers, out _, out _, out var problem))
        {
            problems.Add($"Job '{job.Id}': {problem}");
        }
        else if (job.Triggers.Schedule is null && job.Triggers.TimeZone is not null && !TryFindZone(job.Triggers.TimeZone, out _, out var zoneProblem))
        {
            problems.Add($"Job '{job.Id}': {zoneProblem}");
        }

        if (CheckPollInterval(job.Triggers.PollInterval, minimumPollInterval) is { } pollProblem)
        {
            problems.Add($"Job '{job.Id}': {pollProblem}");
        }

        return problems;
    }

    /// <summary>Reads a job's schedule.</summary>
    /// <param name="triggers">The triggers.</param>
    /// <param name="schedule">The parsed cron expression.</param>
    /// <param name="zone">The zone it is read in.</param>
    /// <param name="problem">What is wrong, when it cannot be read.</param>
    /// <returns>Whether the schedule is valid.</returns>
    public static bool TryReadSchedule(JobTriggers triggers, [NotNullWhen(true)] out CronExpression? schedule, out TimeZoneInfo zone, [NotNullWhen(false)] out string? problem)
    {
        ArgumentNullException.ThrowIfNull(triggers);
        schedule = null;
        zone = TimeZoneInfo.Utc;
        if (triggers.Schedule is null)
        {
            problem = "it has no schedule.";
            return false;
        }

        try
        {
            schedule = CronExpression.Parse(triggers.Schedule, CronFormat.Standard);
        }
        catch (CronFormatException e)
        {
            problem = $"the schedule '{triggers.Schedule}' is not a valid cron expression ({e.Message}). Write five fields: minute hour day-of-month month day-of-week, e.g. '0 3 * * 1-5'.";
            return false;
        }

        if (triggers.TimeZone is not null && !TryFindZone(triggers.TimeZone, out zone, out problem))
        {
            schedule = null;
            return false;
        }

        problem = null;
        return true;
    }

    /// <summary>Checks a poll interval against the minimum.</summary>
    /// <param name="interval">The interval, or <see langword="null"/> for none.</param>
    /// <param name="minimum">The minimum.</param>
    /// <returns>What is wrong, or <see langword="null"/>.</returns>
    public static string? CheckPollInterval(TimeSpan? interval, TimeSpan minimum) =>
        interval is { } value && value < minimum
            ? $"the poll interval {value} is shorter than the host's minimum of {minimum} (CodeDoc:Hosting:Worker:MinimumPollInterval). Poll less often; webhooks give prompt runs."
            : null;

    private static bool TryFindZone(string id, out TimeZoneInfo zone, [NotNullWhen(false)] out string? problem)
    {
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id);
            problem = null;
            return true;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            zone = TimeZoneInfo.Utc;
            problem = $"the time zone '{id}' is not known on this machine. Use an IANA id such as 'Europe/Berlin' or a Windows id such as 'W. Europe Standard Time'.";
            return false;
        }
    }
}
