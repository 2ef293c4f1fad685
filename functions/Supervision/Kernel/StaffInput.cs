namespace Supervision.Kernel;

/// <summary>What every staff endpoint asks of its callers the same way.</summary>
public static class StaffInput
{
    /// <summary>The header that makes a staff request safe to repeat: the same key from the same caller has one effect.</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>A decision's written reason: long enough to explain, short enough to read.</summary>
    public const int MinReasonLength = 10;

    public const int MaxReasonLength = 2000;
}
