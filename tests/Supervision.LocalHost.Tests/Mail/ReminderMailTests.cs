using Supervision.Domain.Mail;
using Supervision.Mail;
using Supervision.Testing;

namespace Supervision.LocalHost.Tests.Mail;

/// <summary>A reminder is sent only while its request is open and overdue; the request's state decides, not the caller's hope.</summary>
[Collection(SharedAzurite.Http)]
public sealed class ReminderMailTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateOnly DueDate = new(2027, 2, 15);

    private readonly FixedTime time = new(new DateTimeOffset(2027, 2, 18, 10, 0, 0, Reminders.JapanOffset));
    private SendGridCapture capture = null!;
    private MailTestServices services = null!;

    public async Task InitializeAsync()
    {
        capture = await SendGridCapture.StartAsync();
        services = await MailTestServices.StartAsync(azurite, MailTestServices.SendGridAt(capture), time);
    }

    public async Task DisposeAsync()
    {
        await services.DisposeAsync();
        await capture.DisposeAsync();
    }

    private static MailRequest Reminder() => MailTestServices.Request(key: $"reminder-{Guid.NewGuid():N}") with { Template = MailTemplates.Reminder };

    [Theory]
    [InlineData(RequestStatus.Fulfilled, "AlreadyFulfilled")]
    [InlineData(RequestStatus.Withdrawn, "Withdrawn")]
    public async Task AReminder_IsNotSentNorRecorded_WhenItsRequestIsNoLongerOpen(RequestStatus status, string reason)
    {
        MailRequest request = Reminder();

        MailOutcome outcome = await services.Mailer.SendReminderAsync(request, new RequestState(status, DueDate), CancellationToken.None);

        Assert.Equal(new MailOutcome(request.IdempotencyKey, MailStatus.Skipped, Repeated: false, reason), outcome);
        Assert.Empty(capture.Requests);
        Assert.False((await services.Engagements.GetEntityIfExistsAsync<MailLogRecord>(request.EngagementId, MailLogRecord.Key(request.IdempotencyKey))).HasValue);
    }

    [Fact]
    public async Task AReminder_IsNotSent_BeforeTheDueDateHasPassed()
    {
        MailRequest request = Reminder();

        MailOutcome outcome = await services.Mailer.SendReminderAsync(request, new RequestState(RequestStatus.Open, new DateOnly(2027, 2, 18)), CancellationToken.None);

        Assert.Equal(MailStatus.Skipped, outcome.Status);
        Assert.Empty(capture.Requests);
    }

    [Fact]
    public async Task AReminderOfAnOpenOverdueRequest_IsSent_WithTheDueDateAndDaysOverdueFromTheRequest()
    {
        MailRequest request = Reminder();

        MailOutcome outcome = await services.Mailer.SendReminderAsync(request, new RequestState(RequestStatus.Open, DueDate), CancellationToken.None);

        Assert.Equal(MailStatus.Sent, outcome.Status);
        CapturedRequest sent = Assert.Single(capture.Requests);
        Assert.Contains("ご回答期限の2027年2月15日（月）から3日が過ぎておりますが、", sent.Body, StringComparison.Ordinal);
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now.ToUniversalTime();
    }
}
