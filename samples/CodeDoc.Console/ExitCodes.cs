namespace CodeDoc.ConsoleHost;

/// <summary>The process exit codes of <c>codedoc</c>, documented in the README.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int InvalidInput = 2;
    public const int InvalidConfiguration = 3;
    public const int AccessDenied = 4;
    public const int NotConfirmed = 5;
    public const int BudgetReached = 6;
    public const int StoreUnavailable = 7;
    public const int Cancelled = 130;
}
