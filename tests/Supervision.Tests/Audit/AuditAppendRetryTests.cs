using Azure;
using Polly;
using Supervision.Audit;

namespace Supervision.Tests.Audit;

/// <summary>The append's retry: a lost race for the trail's head is tried again, a bounded number of times; nothing else is.</summary>
public sealed class AuditAppendRetryTests
{
    private static readonly ResiliencePipeline Retry = AuditLog.ConflictRetry(maxAttempts: 5, baseDelay: TimeSpan.FromMilliseconds(1));

    [Theory]
    [InlineData(412)]
    [InlineData(409)]
    public async Task A_conflict_on_the_head_is_tried_again_until_the_append_wins(int status)
    {
        int attempts = 0;

        string result = await Retry.ExecuteAsync(
            _ =>
            {
                attempts++;
                return attempts < 3 ? throw new RequestFailedException(status, "the head moved") : ValueTask.FromResult("appended");
            },
            CancellationToken.None);

        Assert.Equal("appended", result);
        Assert.Equal(3, attempts);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(403)]
    [InlineData(404)]
    public async Task Any_other_storage_failure_is_not_retried(int status)
    {
        int attempts = 0;

        RequestFailedException thrown = await Assert.ThrowsAsync<RequestFailedException>(async () => await Retry.ExecuteAsync<string>(
            _ =>
            {
                attempts++;
                throw new RequestFailedException(status, "storage refused");
            },
            CancellationToken.None));

        Assert.Equal(status, thrown.Status);
        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task A_failure_that_is_not_from_storage_is_not_retried()
    {
        int attempts = 0;

        await Assert.ThrowsAsync<ArgumentException>(async () => await Retry.ExecuteAsync<string>(
            _ =>
            {
                attempts++;
                throw new ArgumentException("details too long");
            },
            CancellationToken.None));

        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task Conflicts_are_retried_a_bounded_number_of_times_then_the_last_one_surfaces()
    {
        int attempts = 0;

        RequestFailedException thrown = await Assert.ThrowsAsync<RequestFailedException>(async () => await Retry.ExecuteAsync<string>(
            _ =>
            {
                attempts++;
                throw new RequestFailedException(412, "the head moved");
            },
            CancellationToken.None));

        Assert.Equal(412, thrown.Status);
        Assert.Equal(5, attempts);
    }
}
