using Microsoft.DurableTask;

namespace Supervision.Durable;

/// <summary>
/// How every workflow calls its activities: a failed activity is tried again with exponential back-off, from 10 seconds
/// up to 30 minutes between attempts, for about two hours, before the workflow sees the failure. A passing outage (mail
/// provider 5xx after its own retries, storage throttling, a lost connection) then delays a workflow instead of failing
/// it for good; every activity is idempotent, so trying one again repeats nothing it already did.
/// </summary>
public static class ActivityRetry
{
    public static RetryPolicy Policy { get; } = new(
        maxNumberOfAttempts: 12,
        firstRetryInterval: TimeSpan.FromSeconds(10),
        backoffCoefficient: 2,
        maxRetryInterval: TimeSpan.FromMinutes(30));

    public static TaskOptions Options { get; } = TaskOptions.FromRetryPolicy(Policy);
}
