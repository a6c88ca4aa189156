using System.Globalization;

namespace CodeDoc.Hosting.Jobs;

/// <summary>What a job may still spend today and this month (UTC), from its caps and the run history.</summary>
/// <param name="Tokens">The tokens left under the tighter token cap; <see langword="null"/> for no cap.</param>
/// <param name="Cost">The USD left under the tighter cost cap; <see langword="null"/> for no cap.</param>
/// <param name="ReachedCap">Which cap is already used up, in words; <see langword="null"/> when there is room.</param>
internal sealed record SpendingRoom(long? Tokens, decimal? Cost, string? ReachedCap)
{
    public static async Task<SpendingRoom> ReadAsync(IRunHistoryStore history, JobDefinition job, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var limits = job.Limits;
        if (limits.DailyTokens is null && limits.MonthlyTokens is null && limits.DailyCost is null && limits.MonthlyCost is null)
        {
            return new SpendingRoom(null, null, null);
        }

        var utc = now.ToUniversalTime();
        var dayStart = new DateTimeOffset(utc.Year, utc.Month, utc.Day, 0, 0, 0, TimeSpan.Zero);
        var monthStart = new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero);
        var day = await history.GetSpendingAsync(job.Id, dayStart, cancellationToken).ConfigureAwait(false);
        var month = await history.GetSpendingAsync(job.Id, monthStart, cancellationToken).ConfigureAwait(false);

        var tokens = Min(limits.DailyTokens - day.Tokens, limits.MonthlyTokens - month.Tokens);
        var cost = Min(limits.DailyCost - day.Cost, limits.MonthlyCost - month.Cost);
        string? reached = null;
        if (limits.DailyTokens is { } dt && day.Tokens >= dt)
        {
            reached = $"the daily token cap ({dt.ToString(CultureInfo.InvariantCulture)} tokens)";
        }
        else if (limits.MonthlyTokens is { } mt && month.Tokens >= mt)
        {
            reached = $"the monthly token cap ({mt.ToString(CultureInfo.InvariantCulture)} tokens)";
        }
        else if (limits.DailyCost is { } dc && day.Cost >= dc)
        {
            reached = $"the daily cost cap (USD {dc.ToString(CultureInfo.InvariantCulture)})";
        }
        else if (limits.MonthlyCost is { } mc && month.Cost >= mc)
        {
            reached = $"the monthly cost cap (USD {mc.ToString(CultureInfo.InvariantCulture)})";
        }

        return new SpendingRoom(tokens is null ? null : Math.Max(0, tokens.Value), cost is null ? null : Math.Max(0, cost.Value), reached);
    }

    private static T? Min<T>(T? a, T? b)
        where T : struct, IComparable<T> =>
        a is null ? b : b is null ? a : a.Value.CompareTo(b.Value) <= 0 ? a : b;
}
